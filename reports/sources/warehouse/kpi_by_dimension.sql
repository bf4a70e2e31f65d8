-- The monthly KPIs per provider, location and payer.
select
    practice_id,
    dimension,
    dimension_value,
    strftime(month, '%Y-%m') as month_key,
    strftime(month - interval 1 month, '%Y-%m') as prior_month_key,
    gross_charges,
    payer_payments + patient_payments as total_payments,
    contractual_adjustments + other_adjustments as total_adjustments,
    ar_total,
    ar_over_90_pct,
    net_collection_rate_t90,
    days_in_ar,
    initial_denial_rate,
    first_pass_acceptance_rate
from marts.kpi_monthly_by_dimension
