-- payer_scorecard for sharing outside the practice (with a payer, a network, a benchmark group): every measure of
-- a row over fewer claims than the practice's minimum (macro small_cell_minimum_claims: the settings file's
-- small_cell_min_claims, else var small_cell_minimum_claims, default 11) is suppressed (null), counts included.
with

scorecard as (

    select * from {{ ref('payer_scorecard') }}

),

flagged as (

    select
        scorecard.*,
        scorecard.claim_count < {{ small_cell_minimum_claims('settings') }} as is_suppressed
    from scorecard
    left join {{ ref('stg_settings__practices') }} as settings
        on settings.practice_id = scorecard.practice_id

)

select
    practice_id,
    payer_id,
    payer_type,
    period,
    month,
    is_suppressed,
    case when not is_suppressed then claim_count end as claim_count,
    case when not is_suppressed then line_count end as line_count,
    case when not is_suppressed then charge_amount end as charge_amount,
    case when not is_suppressed then allowed_amount end as allowed_amount,
    case when not is_suppressed then paid_amount end as paid_amount,
    case when not is_suppressed then patient_responsibility_amount end as patient_responsibility_amount,
    case when not is_suppressed then allowed_to_charge_ratio end as allowed_to_charge_ratio,
    case when not is_suppressed then rejection_rate end as rejection_rate,
    case when not is_suppressed then initial_denial_rate end as initial_denial_rate,
    case when not is_suppressed then days_to_pay_median end as days_to_pay_median,
    case when not is_suppressed then days_to_pay_p90 end as days_to_pay_p90,
    case when not is_suppressed then paid_within_30_days_share end as paid_within_30_days_share,
    case when not is_suppressed then underpaid_amount end as underpaid_amount
from flagged
