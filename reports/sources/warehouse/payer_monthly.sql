-- Per practice × payer × service month: charges, allowed and paid (the effective rate over time).
select
    practice_id,
    payer_id,
    strftime(service_month, '%Y-%m') as month_key,
    count(distinct claim_id) as claims,
    sum(charge_amount) as charges,
    sum(era_allowed_amount) as allowed,
    sum(era_paid_amount) as paid
from marts.claim_lines
where not is_self_pay
group by all
