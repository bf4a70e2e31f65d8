{{ config(
    materialized=('pm_snapshot_incremental' if target.type == 'duckdb' else 'table'),
    pm_snapshot={'source': 'pm', 'table': 'pm_payments', 'entity': 'payments', 'natural_key': ['payment_id'],
        'date_columns': ['payment_date', 'posted_date']},
) }}

-- A table, unlike most staging models: the snapshot rule is the costly part, and a view would apply it again
-- for each of the models and data tests that read it (docs/architecture.md). On DuckDB a daily build recomputes
-- only the keys the new files can change (macros/pm_snapshot_incremental.sql).
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
