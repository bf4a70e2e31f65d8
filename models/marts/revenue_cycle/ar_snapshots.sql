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
-- a view on DuckDB (dbt_project.yml): its table named without the catalog
from {{ ref('int_ar_snapshots').include(database=False) }}
