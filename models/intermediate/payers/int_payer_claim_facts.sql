{{ config(materialized="table") }}

-- One row per claim billed to a payer with what the payer scorecard measures: volume and money (the 835 amounts
-- matched to the claim's lines, net of reversals), whether its first 835 denied anything and the main category
-- (int_claim_initial_denials), whether a submission was rejected (int_claim_lifecycle), days from first submission to
-- the first payer payment posted, and the shortfall below contract. No denial or rejection mart is read.
-- A table: two marts and two data tests read it, and a view would be computed again for each.
with

claims as (

    select * from {{ ref('int_claim_lifecycle') }}
    where not is_self_pay

),

line_totals as (

    select
        practice_id,
        claim_id,
        sum(units) as units,
        sum(era_allowed_amount) as allowed_amount,
        sum(era_paid_amount) as paid_amount,
        sum(era_patient_responsibility_amount) as patient_responsibility_amount
    from {{ ref('int_claim_line_remittances') }}
    group by practice_id, claim_id

),

initial_denials as (

    select practice_id, claim_id, denial_category from {{ ref('int_claim_initial_denials') }}

),

underpaid as (

    select practice_id, claim_id, underpaid_amount from {{ ref('int_underpayment_claims') }}

)

select
    claims.practice_id,
    claims.claim_id,
    claims.payer_id,
    claims.payer_type,
    claims.service_month,
    claims.line_count,
    cast(coalesce(line_totals.units, 0) as bigint) as units,
    claims.charge_amount,
    cast(coalesce(line_totals.allowed_amount, 0) as decimal(18, 2)) as allowed_amount,
    cast(coalesce(line_totals.paid_amount, 0) as decimal(18, 2)) as paid_amount,
    cast(coalesce(line_totals.patient_responsibility_amount, 0) as decimal(18, 2)) as patient_responsibility_amount,
    claims.first_submitted_date is not null as is_submitted,
    claims.rejection_count > 0 as is_rejected,
    claims.first_adjudicated_date is not null as is_adjudicated,
    initial_denials.claim_id is not null as is_initial_denial,
    initial_denials.denial_category as initial_denial_category,
    claims.days_to_pay,
    coalesce(underpaid.underpaid_amount, 0) as underpaid_amount
from claims
left join line_totals
    on line_totals.practice_id = claims.practice_id
    and line_totals.claim_id = claims.claim_id
left join initial_denials
    on initial_denials.practice_id = claims.practice_id
    and initial_denials.claim_id = claims.claim_id
left join underpaid
    on underpaid.practice_id = claims.practice_id
    and underpaid.claim_id = claims.claim_id
