-- Payments posted per claim and month: the claims behind the payments headline.
select
    practice_id,
    strftime(posted_month, '%Y-%m') as month_key,
    claim_id,
    sum(case when payment_source = 'payer' then amount else 0 end) as payer_payments,
    sum(case when payment_source = 'payer' then 0 else amount end) as patient_payments,
    sum(amount) as total_payments
from marts.payments
group by all
