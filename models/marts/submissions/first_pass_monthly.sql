-- First-pass acceptance and clean claim rates per practice × month of first submission × payer billed
-- (per claim in int_claim_submission_outcomes; definitions in docs/models.md).
with

outcomes as (

    select * from {{ ref('int_claim_submission_outcomes') }}

),

sums as (

    select
        practice_id,
        submitted_month as month,
        coalesce(payer_id, '(none)') as payer_id,
        count(*) as claims_submitted,
        sum(case when is_first_pass_accepted then 1 else 0 end) as claims_accepted_first_pass,
        sum(case when rejection_count > 0 then 1 else 0 end) as claims_rejected,
        sum(case when is_awaiting_acknowledgement then 1 else 0 end) as claims_awaiting_acknowledgement,
        sum(case when is_clean then 1 else 0 end) as claims_clean,
        sum(case when is_initially_denied then 1 else 0 end) as claims_initially_denied
    from outcomes
    group by practice_id, submitted_month, coalesce(payer_id, '(none)')

)

select
    practice_id,
    month,
    payer_id,
    cast(claims_submitted as integer) as claims_submitted,
    cast(claims_accepted_first_pass as integer) as claims_accepted_first_pass,
    cast(claims_rejected as integer) as claims_rejected,
    cast(claims_awaiting_acknowledgement as integer) as claims_awaiting_acknowledgement,
    cast(claims_clean as integer) as claims_clean,
    cast(claims_initially_denied as integer) as claims_initially_denied,
    {{ rcm_ratio('claims_accepted_first_pass', 'claims_submitted') }} as first_pass_acceptance_rate,
    {{ rcm_ratio('claims_clean', 'claims_submitted') }} as clean_claim_rate
from sums
