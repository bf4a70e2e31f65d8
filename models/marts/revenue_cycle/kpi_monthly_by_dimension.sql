-- The kpi_monthly measures per practice × month × provider, location or payer (the `dimension` column says which;
-- `dimension_value` is the PM code, '(none)' for postings on claims the PM charges do not list).
select
    practice_id,
    dimension,
    dimension_value,
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
where dimension <> 'practice'
