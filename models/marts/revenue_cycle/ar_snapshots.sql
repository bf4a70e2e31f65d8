-- A view on DuckDB, a table on Spark (where the marts are the Parquet hand-off): it only selects from one
-- intermediate table, and as a table it would write the same rows a second time (docs/benchmarks.md). Views do
-- not keep constraints, so the post-hook checks the not_null ones (macros/not_null_constraints.sql). The view names
-- its table without the catalog, so it still resolves when the file is attached under another name.
{{ config(
    materialized=('view' if target.type == 'duckdb' else 'table'),
    post_hook="{{ rcm_check_view_not_null() }}"
) }}
-- Open A/R per claim at every month end and at the data's as-of date (int_ar_snapshots: dated ledger only).
select
    practice_id,
    snapshot_date,
    snapshot_month,
    is_month_end,
    is_as_of_date,
    claim_id,
    is_claim_in_pm,
    current_payer_id,
    payer_type,
    provider_id,
    location_id,
    responsible_party,
    payer_level,
    service_date,
    first_submitted_date,
    cast(balance as decimal(18, 2)) as balance,
    is_credit_balance,
    cast(age_from_service_days as integer) as age_from_service_days,
    cast(age_from_submission_days as integer) as age_from_submission_days,
    aging_bucket
from {{ ref('int_ar_snapshots').include(database=False) }}
