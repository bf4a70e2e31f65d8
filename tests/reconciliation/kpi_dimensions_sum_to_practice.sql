-- Each companion dimension (provider, location, payer) splits the practice's money exactly: summed over its
-- values, every money column equals kpi_monthly's. Rows returned are failures.
with

by_dimension as (

    select
        practice_id,
        dimension,
        month,
        sum(gross_charges) as gross_charges,
        sum(payer_payments) as payer_payments,
        sum(patient_payments) as patient_payments,
        sum(contractual_adjustments) as contractual_adjustments,
        sum(other_adjustments) as other_adjustments,
        sum(refunds) as refunds,
        sum(ar_total) as ar_total,
        sum(ar_payer) as ar_payer,
        sum(ar_patient) as ar_patient
    from {{ ref('kpi_monthly_by_dimension') }}
    group by practice_id, dimension, month

)

select by_dimension.*
from by_dimension
inner join {{ ref('kpi_monthly') }} as kpi
    on kpi.practice_id = by_dimension.practice_id
    and kpi.month = by_dimension.month
where by_dimension.gross_charges <> kpi.gross_charges
    or by_dimension.payer_payments <> kpi.payer_payments
    or by_dimension.patient_payments <> kpi.patient_payments
    or by_dimension.contractual_adjustments <> kpi.contractual_adjustments
    or by_dimension.other_adjustments <> kpi.other_adjustments
    or by_dimension.refunds <> kpi.refunds
    or by_dimension.ar_total <> kpi.ar_total
    or by_dimension.ar_payer <> kpi.ar_payer
    or by_dimension.ar_patient <> kpi.ar_patient
