-- One row per practice and month: charges, payments, adjustments, refunds, A/R and the headline rates.
select
    practice_id,
    month,
    gross_charges,
    payer_payments,
    patient_payments,
    contractual_adjustments,
    other_adjustments,
    refunds,
    ar_total,
    days_in_ar,
    net_collection_rate,
    net_collection_rate_t90,
    ar_over_90_pct
from marts.kpi_monthly
