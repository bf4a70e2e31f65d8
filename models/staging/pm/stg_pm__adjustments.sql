{{ config(
    materialized=('pm_snapshot_incremental' if target.type == 'duckdb' else 'table'),
    pm_snapshot={'source': 'pm', 'table': 'pm_adjustments', 'entity': 'adjustments', 'natural_key': ['adjustment_id'],
        'date_columns': ['posted_date']},
) }}

-- A table, unlike most staging models: the snapshot rule is the costly part, and a view would apply it again
-- for each of the models and data tests that read it (docs/architecture.md). On DuckDB a daily build recomputes
-- only the keys the new files can change (macros/pm_snapshot_incremental.sql).
with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_adjustments', 'adjustments', ['adjustment_id'], ['posted_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        adjustment_id,
        claim_id,
        line_number,
        payer_id,
        reference_number,

        -- adjustment
        adjustment_type,
        group_code,
        reason_code,
        amount,
        approved_by,

        -- dates
        posted_date

    from source

)

select * from renamed
