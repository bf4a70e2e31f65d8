with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_transfers', 'transfers', ['transfer_id'], ['posted_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        transfer_id,
        claim_id,
        line_number,
        patient_id,
        payer_id,

        -- transfer: an amount moved from one responsibility to another
        from_responsibility,
        to_responsibility,
        amount,

        -- dates
        posted_date

    from source

)

select * from renamed
