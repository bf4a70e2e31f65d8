{{ config(materialized="table") }}

-- One row per submitted insured PM claim: when it was first submitted and first adjudicated (its first
-- remittance, reversals aside), and whether that first remittance denied it, with the dollars denied. The
-- denominators and numerators of the initial denial rates (docs/models.md, denial_trends).
with

claims as (

    select * from {{ ref('int_claims') }}
    where not is_self_pay and first_submitted_date is not null

),

remittance_lines as (

    select * from {{ ref('int_remittance_lines') }}
    where claim_role <> 'reversal'

),

denials as (

    select * from {{ ref('int_denials') }}
    where is_initial_denial

),

first_remittances as (

    select
        practice_id,
        coalesce(matched_claim_id, patient_control_number) as claim_id,
        min(coalesce(payment_date, production_date)) as first_remittance_date
    from remittance_lines
    group by practice_id, coalesce(matched_claim_id, patient_control_number)

),

initial_denials as (

    select
        practice_id,
        claim_id,
        cast(sum(denied_amount) as decimal(18, 2)) as initial_denied_amount,
        max(case when denial_level = 'claim' then 1 else 0 end) as has_claim_level_denial
    from denials
    group by practice_id, claim_id

)

select
    claims.practice_id,
    claims.claim_id,
    claims.payer_id,
    claims.provider_id,
    claims.location_id,
    claims.charge_amount,
    claims.first_submitted_date,
    {{ rcm_month_start('claims.first_submitted_date') }} as submitted_month,
    first_remittances.first_remittance_date,
    {{ rcm_month_start('first_remittances.first_remittance_date') }} as adjudicated_month,
    initial_denials.claim_id is not null as is_initially_denied,
    coalesce(initial_denials.initial_denied_amount, 0) as initial_denied_amount
from claims
left join first_remittances
    on first_remittances.practice_id = claims.practice_id
    and first_remittances.claim_id = claims.claim_id
left join initial_denials
    on initial_denials.practice_id = claims.practice_id
    and initial_denials.claim_id = claims.claim_id
