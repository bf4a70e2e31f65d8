-- One row per practice × month: every kpi_monthly column, the month as text keys (YYYY-MM) for page URLs and
-- comparisons, and the payment and adjustment totals.
select
    kpi.*,
    strftime(kpi.month, '%Y-%m') as month_key,
    strftime(kpi.month - interval 1 month, '%Y-%m') as prior_month_key,
    strftime(kpi.month - interval 12 month, '%Y-%m') as last_year_key,
    kpi.payer_payments + kpi.patient_payments as total_payments,
    kpi.contractual_adjustments + kpi.other_adjustments as total_adjustments
from marts.kpi_monthly as kpi
