-- The ledger holds every current PM charge, payment and adjustment once: its totals per practice equal the
-- staging models'. Rows returned are failures.
with

ledger as (

    select
        practice_id,
        sum(case when event_type = 'charge' then amount else 0 end) as charges,
        sum(case when event_type in ('payer_payment', 'patient_payment', 'refund') then amount else 0 end) as payments,
        sum(case when event_type = 'adjustment' then amount else 0 end) as adjustments
    from {{ ref('int_claim_ledger') }}
    group by practice_id

),

pm as (

    select practice_id, sum(charges) as charges, sum(payments) as payments, sum(adjustments) as adjustments
    from (
        select practice_id, charge_amount as charges, 0 as payments, 0 as adjustments from {{ ref('stg_pm__charges') }}
        union all
        select practice_id, 0, amount, 0 from {{ ref('stg_pm__payments') }}
        union all
        select practice_id, 0, 0, amount from {{ ref('stg_pm__adjustments') }}
    ) as postings
    group by practice_id

)

select pm.*, ledger.charges as ledger_charges, ledger.payments as ledger_payments, ledger.adjustments as ledger_adjustments
from pm
left join ledger
    on ledger.practice_id = pm.practice_id
where ledger.practice_id is null
    or ledger.charges <> pm.charges
    or ledger.payments <> pm.payments
    or ledger.adjustments <> pm.adjustments
