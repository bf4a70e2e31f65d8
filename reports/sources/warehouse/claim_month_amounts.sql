-- Per claim and month, the amounts the owner pack's collection and A/R ratios are made of: charges by the month
-- of service (each line's), payments and contractual adjustments by the month posted (as kpi_monthly counts
-- them). The claims behind the payments headline, the net collection rate and days in A/R.
with amounts as (

    select
        practice_id, claim_id, date_trunc('month', service_date) as month,
        charge_amount as charges,
        0 as payer_payments, 0 as patient_payments, 0 as payments_posted, 0 as contractual_adjustments
    from marts.claim_lines

    union all

    select
        practice_id, claim_id, posted_month,
        0,
        case when payment_source = 'payer' then amount else 0 end,
        case when payment_source = 'payer' then 0 else amount end,
        1,
        0
    from marts.payments

    union all

    select practice_id, claim_id, posted_month, 0, 0, 0, 0, amount
    from marts.adjustments
    where is_contractual

)

select
    practice_id,
    strftime(month, '%Y-%m') as month_key,
    claim_id,
    sum(charges) as charges,
    sum(payer_payments) as payer_payments,
    sum(patient_payments) as patient_payments,
    sum(payer_payments + patient_payments) as total_payments,
    sum(payments_posted) as payments_posted,
    sum(contractual_adjustments) as contractual_adjustments
from amounts
group by all
