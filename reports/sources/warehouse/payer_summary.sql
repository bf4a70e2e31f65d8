-- Per practice × payer: volume, charges, what the 835s allowed and paid, and days from first submission to the
-- first payer payment (median and 90th percentile).
with

lines as (

    select
        practice_id,
        payer_id,
        count(distinct claim_id) as claims,
        count(*) as lines,
        sum(units) as units,
        sum(charge_amount) as charges,
        sum(case when has_remittance then charge_amount else 0 end) as remitted_charges,
        sum(era_allowed_amount) as allowed,
        sum(era_paid_amount) as paid
    from marts.claim_lines
    where not is_self_pay
    group by all

),

days as (

    select
        practice_id,
        payer_id,
        median(days_to_pay) as days_to_pay_median,
        quantile_cont(days_to_pay, 0.9) as days_to_pay_p90,
        count(first_payer_payment_date) as paid_claims
    from marts.claims
    where not is_self_pay
    group by all

)

select
    lines.*,
    case when remitted_charges > 0 then allowed / remitted_charges end as allowed_to_charge,
    case when allowed > 0 then paid / allowed end as paid_to_allowed,
    days.days_to_pay_median,
    days.days_to_pay_p90,
    days.paid_claims
from lines
left join days using (practice_id, payer_id)
