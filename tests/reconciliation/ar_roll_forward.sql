-- A/R roll-forward per practice and month: opening A/R (the previous month end; zero before the first month)
-- + charges − payments − adjustments + refunds = closing A/R. Payments here are receipts before refunds
-- (patient_payments is net of refunds), so a refund is added back once. Rows returned are failures.
with

kpi as (

    select
        practice_id,
        month,
        gross_charges,
        payer_payments + patient_payments + refunds as payments_received,
        contractual_adjustments + other_adjustments as adjustments,
        refunds,
        ar_total,
        lag(ar_total) over (partition by practice_id order by month) as opening_ar
    from {{ ref('kpi_monthly') }}

)

select *
from kpi
where coalesce(opening_ar, 0) + gross_charges - payments_received - adjustments + refunds <> ar_total
