{{ config(materialized="table") }}

-- One row per insured PM claim that was submitted: how its first submission fared. First-pass accepted =
-- a 277CA acceptance (A2, accepted into adjudication; A1 is only a receipt) with no rejection (999 set,
-- 277CA or clearinghouse report) dated on or before it. Clean (the proxy for HFMA CL-1, which needs scrubber
-- results no input carries) = accepted at first pass, never resubmitted, and not denied on its first remittance.
with

claims as (

    select * from {{ ref('int_claims') }}
    where not is_self_pay and first_submitted_date is not null

),

statuses as (

    select * from {{ ref('stg_clearinghouse__277ca_statuses') }}
    where status_level = 'claim' and is_acceptance

),

rejections as (

    select * from {{ ref('int_rejections') }}

),

denials as (

    select * from {{ ref('int_denials') }}
    where is_initial_denial

),

first_acceptance as (

    select practice_id, patient_control_number as claim_id, min(status_date) as first_accepted_date
    from statuses
    group by practice_id, patient_control_number

),

rejection_counts as (

    select
        rejections.practice_id,
        rejections.claim_id,
        count(*) as rejection_count,
        min(rejections.rejection_date) as first_rejection_date,
        sum(case
            when first_acceptance.first_accepted_date is null
                or rejections.rejection_date <= first_acceptance.first_accepted_date
                then 1 else 0
        end) as rejections_before_acceptance
    from rejections
    left join first_acceptance
        on first_acceptance.practice_id = rejections.practice_id
        and first_acceptance.claim_id = rejections.claim_id
    group by rejections.practice_id, rejections.claim_id

),

initial_denials as (

    select distinct practice_id, claim_id from denials

)

select
    claims.practice_id,
    claims.claim_id,
    claims.payer_id,
    claims.payer_type,
    claims.provider_id,
    claims.location_id,
    claims.charge_amount,
    claims.first_submitted_date,
    {{ rcm_month_start('claims.first_submitted_date') }} as submitted_month,
    claims.resubmission_count,
    first_acceptance.first_accepted_date,
    rejection_counts.first_rejection_date,
    coalesce(rejection_counts.rejection_count, 0) as rejection_count,
    -- the first answer to the first submission: an acceptance, or a rejection dated on or before it
    case
        when rejection_counts.first_rejection_date is not null
            and (first_acceptance.first_accepted_date is null
                or rejection_counts.first_rejection_date <= first_acceptance.first_accepted_date)
            then rejection_counts.first_rejection_date
        else first_acceptance.first_accepted_date
    end as first_acknowledged_date,
    first_acceptance.first_accepted_date is not null
        and coalesce(rejection_counts.rejections_before_acceptance, 0) = 0 as is_first_pass_accepted,
    first_acceptance.first_accepted_date is null and rejection_counts.claim_id is null as is_awaiting_acknowledgement,
    initial_denials.claim_id is not null as is_initially_denied,
    first_acceptance.first_accepted_date is not null
        and coalesce(rejection_counts.rejections_before_acceptance, 0) = 0
        and coalesce(claims.resubmission_count, 0) = 0
        and initial_denials.claim_id is null as is_clean
from claims
left join first_acceptance
    on first_acceptance.practice_id = claims.practice_id
    and first_acceptance.claim_id = claims.claim_id
left join rejection_counts
    on rejection_counts.practice_id = claims.practice_id
    and rejection_counts.claim_id = claims.claim_id
left join initial_denials
    on initial_denials.practice_id = claims.practice_id
    and initial_denials.claim_id = claims.claim_id
