{{ config(materialized='table') }}

-- A table, unlike most staging models: the snapshot rule is the costly part, and a view would apply it again
-- for each of the models and data tests that read it (docs/architecture.md).
with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_payments', 'payments', ['payment_id'], ['payment_date', 'posted_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        payment_id,
        claim_id,
        patient_id,
        payer_id,
        reference_number,

        -- payment
        payment_source,
        payment_method,
        time_of_service as is_time_of_service,
        amount,

        -- dates
        payment_date,
        posted_date

    from source

)

select * from renamed
