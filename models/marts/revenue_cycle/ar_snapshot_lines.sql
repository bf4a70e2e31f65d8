-- Open A/R per claim line at every month end and at the as-of date: each claim's balance of ar_snapshots split
-- over its lines in whole cents (int_ar_snapshot_lines has the rule), with the claim's and the line's columns.
-- a view on DuckDB (dbt_project.yml): its tables named without the catalog
with

lines as (

    select * from {{ ref('int_ar_snapshot_lines').include(database=False) }}

),

snapshots as (

    select * from {{ ref('int_ar_snapshots').include(database=False) }}

),

claim_lines as (

    select practice_id, claim_id, line_number, cpt, modifier_1, charge_amount
    from {{ ref('int_claim_lines').include(database=False) }}

)

select
    lines.practice_id,
    lines.snapshot_date,
    snapshots.snapshot_month,
    snapshots.is_month_end,
    snapshots.is_as_of_date,
    lines.claim_id,
    snapshots.is_claim_in_pm,
    cast(lines.line_number as integer) as line_number,
    claim_lines.cpt as procedure_code,
    claim_lines.modifier_1,
    cast(claim_lines.charge_amount as decimal(18, 2)) as line_charge_amount,
    cast(lines.line_open_amount as decimal(18, 2)) as line_open_amount,
    lines.allocation_basis,
    cast(lines.balance as decimal(18, 2)) as balance,
    cast(snapshots.balance as decimal(18, 2)) as claim_balance,
    lines.balance < 0 as is_credit_balance,
    snapshots.current_payer_id,
    snapshots.payer_type,
    snapshots.provider_id,
    snapshots.location_id,
    snapshots.responsible_party,
    snapshots.payer_level,
    snapshots.service_date,
    snapshots.first_submitted_date,
    cast(snapshots.age_from_service_days as integer) as age_from_service_days,
    cast(snapshots.age_from_submission_days as integer) as age_from_submission_days,
    snapshots.aging_bucket
from lines
-- every line comes from its claim's snapshot row (int_ar_snapshot_lines), so the inner join keeps every line
inner join snapshots
    on snapshots.practice_id = lines.practice_id
    and snapshots.snapshot_date = lines.snapshot_date
    -- null-safe: a posting on no claim is a snapshot row with a null claim
    and coalesce(snapshots.claim_id, '') = coalesce(lines.claim_id, '')
-- line 0 (no PM lines) finds none
left join claim_lines
    on claim_lines.practice_id = lines.practice_id
    and claim_lines.claim_id = lines.claim_id
    and claim_lines.line_number = lines.line_number
