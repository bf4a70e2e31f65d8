{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_claim_lines': 'claim_id', 'int_remittance_lines': 'patient_control_number',
        'int_claim_ledger': 'claim_id'},
) }}
-- One row per PM claim line with its PM line-level adjustments and the 835 lines matched to it (net of reversals).
-- The claim_lines mart publishes it; int_payer_claim_facts reads it too, so it is a table: as a view it was
-- computed once for each reader (docs/benchmarks.md). On DuckDB a daily build reads only the claims its inputs
-- logged as changed (macros/claim_log_incremental.sql).
{% set is_secondary = "coalesce(claim_status_code, '') in ('2', '3')" %}
with

claim_lines as (

    select * from {{ ref('int_claim_lines') }} as claim_lines_in
    where {{ rcm_claim_log_scope('claim_lines_in') }}

),

remittance_lines as (

    -- a matched line's claim is its patient control number
    select * from {{ ref('int_remittance_lines') }} as remittance_lines_in
    where match_method in ('line_control_number', 'claim_procedure_date_charge')
        and {{ rcm_claim_log_scope('remittance_lines_in', 'patient_control_number') }}

),

ledger as (

    select * from {{ ref('int_claim_ledger') }} as ledger_in
    where event_type = 'adjustment' and line_number is not null
        and {{ rcm_claim_log_scope('ledger_in') }}

),

remitted as (

    select
        practice_id,
        matched_claim_id as claim_id,
        matched_line_number as line_number,
        count(*) as remittance_line_count,
        -- the payer billed's remittances, then the secondary's (processed as secondary/tertiary, CLP02 = 2/3)
        sum(case when not {{ is_secondary }} then paid_amount end) as era_paid_amount,
        sum(case when not {{ is_secondary }} then allowed_amount end) as era_allowed_amount,
        sum(case when not {{ is_secondary }} then patient_responsibility_amount end) as era_patient_responsibility_amount,
        sum(case when not {{ is_secondary }} then contractual_obligation_amount end) as era_contractual_obligation_amount,
        sum(case when {{ is_secondary }} then paid_amount end) as era_secondary_paid_amount,
        sum(case when {{ is_secondary }} then patient_responsibility_amount end)
            as era_secondary_patient_responsibility_amount,
        min(payment_date) as first_remittance_date
    from remittance_lines
    group by practice_id, matched_claim_id, matched_line_number

),

line_adjustments as (

    select
        practice_id,
        claim_id,
        line_number,
        sum(case when is_contractual then amount else 0 end) as contractual_adjustments,
        sum(case when not is_contractual then amount else 0 end) as other_adjustments
    from ledger
    group by practice_id, claim_id, line_number

)

select
    claim_lines.practice_id,
    claim_lines.claim_id,
    cast(claim_lines.line_number as integer) as line_number,
    claim_lines.provider_id,
    claim_lines.location_id,
    claim_lines.payer_id,
    claim_lines.plan_id,
    claim_lines.payer_type,
    claim_lines.is_self_pay,
    claim_lines.cpt,
    claim_lines.modifier_1,
    claim_lines.modifier_2,
    cast(claim_lines.units as integer) as units,
    claim_lines.place_of_service,
    claim_lines.primary_icd10,
    claim_lines.service_date,
    {{ rcm_month_start('claim_lines.service_date') }} as service_month,
    claim_lines.claim_created_date,
    claim_lines.claim_submitted_date,
    cast(claim_lines.charge_amount as decimal(18, 2)) as charge_amount,
    cast(coalesce(line_adjustments.contractual_adjustments, 0) as decimal(18, 2)) as line_contractual_adjustments,
    cast(coalesce(line_adjustments.other_adjustments, 0) as decimal(18, 2)) as line_other_adjustments,
    coalesce(remitted.remittance_line_count, 0) > 0 as has_remittance,
    cast(coalesce(remitted.remittance_line_count, 0) as bigint) as remittance_line_count,
    cast(remitted.era_paid_amount as decimal(18, 2)) as era_paid_amount,
    cast(remitted.era_allowed_amount as decimal(18, 2)) as era_allowed_amount,
    cast(remitted.era_patient_responsibility_amount as decimal(18, 2)) as era_patient_responsibility_amount,
    cast(remitted.era_contractual_obligation_amount as decimal(18, 2)) as era_contractual_obligation_amount,
    cast(remitted.era_secondary_paid_amount as decimal(18, 2)) as era_secondary_paid_amount,
    cast(remitted.era_secondary_patient_responsibility_amount as decimal(18, 2))
        as era_secondary_patient_responsibility_amount,
    remitted.first_remittance_date
from claim_lines
left join remitted
    on remitted.practice_id = claim_lines.practice_id
    and remitted.claim_id = claim_lines.claim_id
    and remitted.line_number = claim_lines.line_number
left join line_adjustments
    on line_adjustments.practice_id = claim_lines.practice_id
    and line_adjustments.claim_id = claim_lines.claim_id
    and line_adjustments.line_number = claim_lines.line_number
