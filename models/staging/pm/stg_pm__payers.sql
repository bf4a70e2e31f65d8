with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_payers', 'payers', ['payer_id', 'plan_id'], []) }}

),

renamed as (

    select
        practice_id,
        file_id,
        payer_id,
        plan_id,
        payer_name,
        plan_name,
        payer_type,
        edi_payer_id,
        claim_filing_indicator,
        timely_filing_days
    from source

)

select * from renamed
