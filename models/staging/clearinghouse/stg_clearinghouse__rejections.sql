{{ config(
    materialized=('pm_snapshot_incremental' if target.type == 'duckdb' else 'view'),
    pm_snapshot={'source': 'clearinghouse', 'table': 'clearinghouse_rejections', 'entity': 'rejections',
        'natural_key': ['batch_id', 'claim_id', 'rejection_date', 'category_code', 'reason_code'],
        'date_columns': ['service_date', 'submitted_date', 'rejection_date']},
) }}

-- A table on DuckDB: the ledger reads it and fingerprints it per claim each day, and as a view the snapshot rules
-- ran for both; a daily build recomputes only the keys the new files can change (macros/pm_snapshot_incremental.sql).
with

source as (

    -- events: repeated rows collapse to the latest; their exports carry no range, so nothing is deleted
    {{ pm_current('clearinghouse', 'clearinghouse_rejections', 'rejections', ['batch_id', 'claim_id', 'rejection_date', 'category_code', 'reason_code'], ['service_date', 'submitted_date', 'rejection_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        batch_id,
        claim_id,
        edi_payer_id,
        payer_name,

        -- rejection
        source as rejected_by,
        status,
        category_code,
        reason_code,
        reason_text,
        entity_code,

        -- amounts
        charge_amount,

        -- dates
        service_date,
        submitted_date,
        rejection_date

    from source

)

select * from renamed
