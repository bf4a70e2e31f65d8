-- One row per practice × month: the revenue-cycle KPIs (definitions in _kpi__docs.md).
select
    practice_id,
    month,
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
    pos_collection_rate
from {{ ref('int_kpi_monthly') }}
where dimension = 'practice'
