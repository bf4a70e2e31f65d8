{# The KPI measures kpi_monthly and kpi_monthly_by_dimension both publish, in one list so the two marts cannot drift. #}
{% macro kpi_measure_columns() %}
    gross_charges,
    payer_payments,
    patient_payments,
    contractual_adjustments,
    other_adjustments,
    refunds,
    net_collection_rate,
    net_collection_rate_t90,
    gross_collection_rate,
    ar_total,
    ar_payer,
    ar_patient,
    ar_over_90_pct,
    ar_over_120_pct,
    days_in_ar,
    days_in_ar_mgma,
    charge_lag_days_median,
    payment_lag_days_median,
    pos_collection_rate,
    initial_denial_rate,
    first_pass_acceptance_rate
{% endmacro %}
