with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'bank_deposits', 'deposits', ['transaction_id'], ['posting_date']) }}

),

renamed as (

    select
        practice_id,
        file_id,
        line_no,
        transaction_id,
        type as deposit_type,
        description,
        reference,
        amount,
        posting_date
    from source

)

select * from renamed
