-- Practice × payer × month of service, for the month itself (period 'month') and for the twelve months ending
-- with it (period 'trailing_12_months'): volume, money, rates and payment speed per payer. For use inside the
-- practice; payer_scorecard_shareable suppresses small cells.
with

facts as (

    select * from {{ ref('int_payer_claim_facts') }}

),

periods as (

    {{ month_and_trailing_12_months('facts', ['practice_id', 'payer_id']) }}

),

aggregated as (

    select
        practice_id,
        payer_id,
        max(payer_type) as payer_type,
        period,
        month,
        count(*) as claim_count,
        sum(line_count) as line_count,
        sum(units) as units,
        sum(charge_amount) as charge_amount,
        sum(allowed_amount) as allowed_amount,
        sum(paid_amount) as paid_amount,
        sum(patient_responsibility_amount) as patient_responsibility_amount,
        sum(case when is_submitted then 1 else 0 end) as submitted_claim_count,
        sum(case when is_rejected then 1 else 0 end) as rejected_claim_count,
        sum(case when is_adjudicated then 1 else 0 end) as adjudicated_claim_count,
        sum(case when is_initial_denial then 1 else 0 end) as initial_denial_count,
        sum(case when days_to_pay is not null then 1 else 0 end) as paid_claim_count,
        sum(case when days_to_pay <= 30 then 1 else 0 end) as paid_within_30_days_count,
        {{ rcm_percentile('days_to_pay', 0.5) }} as days_to_pay_median,
        {{ rcm_percentile('days_to_pay', 0.9) }} as days_to_pay_p90,
        sum(underpaid_amount) as underpaid_amount
    from periods
    group by practice_id, payer_id, period, month

)

select
    practice_id,
    payer_id,
    payer_type,
    period,
    month,
    cast(claim_count as bigint) as claim_count,
    cast(line_count as bigint) as line_count,
    cast(units as bigint) as units,
    cast(charge_amount as decimal(18, 2)) as charge_amount,
    cast(allowed_amount as decimal(18, 2)) as allowed_amount,
    cast(paid_amount as decimal(18, 2)) as paid_amount,
    cast(patient_responsibility_amount as decimal(18, 2)) as patient_responsibility_amount,
    {{ rcm_ratio('allowed_amount', 'charge_amount') }} as allowed_to_charge_ratio,
    cast(submitted_claim_count as bigint) as submitted_claim_count,
    cast(rejected_claim_count as bigint) as rejected_claim_count,
    {{ rcm_ratio('rejected_claim_count', 'submitted_claim_count') }} as rejection_rate,
    cast(adjudicated_claim_count as bigint) as adjudicated_claim_count,
    cast(initial_denial_count as bigint) as initial_denial_count,
    {{ rcm_ratio('initial_denial_count', 'adjudicated_claim_count') }} as initial_denial_rate,
    cast(paid_claim_count as bigint) as paid_claim_count,
    cast(days_to_pay_median as decimal(9, 1)) as days_to_pay_median,
    cast(days_to_pay_p90 as decimal(9, 1)) as days_to_pay_p90,
    {{ rcm_ratio('paid_within_30_days_count', 'paid_claim_count') }} as paid_within_30_days_share,
    cast(underpaid_amount as decimal(18, 2)) as underpaid_amount
from aggregated
