-- The monthly KPIs from their measures (formulas: models/marts/revenue_cycle/_kpi__docs.md). Trailing windows
-- run over calendar months (the measures are dense), per practice × dimension value.
with

measures as (

    select * from {{ ref('int_kpi_monthly_measures') }}

),

denial_measures as (

    select * from {{ ref('int_denial_kpi_monthly_measures') }}

),

windowed as (

    select
        measures.*,
        payer_payments + patient_payments as total_payments,
        sum(gross_charges) over trailing_3 as gross_charges_t3,
        sum(payer_payments + patient_payments) over trailing_3 as total_payments_t3,
        sum(contractual_adjustments) over trailing_3 as contractual_adjustments_t3,
        sum(days_in_month) over trailing_3 as days_t3,
        sum(gross_charges - contractual_adjustments) over trailing_12 as adjusted_charges_t12,
        sum(days_in_month) over trailing_12 as days_t12,
        coalesce(denial_measures.claims_submitted, 0) as claims_submitted,
        coalesce(denial_measures.claims_acknowledged, 0) as claims_acknowledged,
        coalesce(denial_measures.claims_accepted_first_pass, 0) as claims_accepted_first_pass,
        coalesce(denial_measures.claims_initially_denied, 0) as claims_initially_denied,
        sum(coalesce(denial_measures.claims_submitted, 0)) over prior_3 as claims_submitted_prior_3,
        count(*) over prior_3 as months_prior_3
    from measures
    left join denial_measures
        on denial_measures.practice_id = measures.practice_id
        and denial_measures.dimension = measures.dimension
        and denial_measures.dimension_value = measures.dimension_value
        and denial_measures.month = measures.month
    window
        trailing_3 as (partition by measures.practice_id, measures.dimension, measures.dimension_value order by measures.month rows between 2 preceding and current row),
        trailing_12 as (partition by measures.practice_id, measures.dimension, measures.dimension_value order by measures.month rows between 11 preceding and current row),
        prior_3 as (partition by measures.practice_id, measures.dimension, measures.dimension_value order by measures.month rows between 3 preceding and 1 preceding)

)

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
    -- adjusted charges of zero or less (a month of postings without charges) leave the rate undefined
    {{ rcm_ratio('total_payments', 'case when gross_charges - contractual_adjustments > 0 then gross_charges - contractual_adjustments end') }}
        as net_collection_rate,
    {{ rcm_ratio('total_payments_t3', 'case when gross_charges_t3 - contractual_adjustments_t3 > 0 then gross_charges_t3 - contractual_adjustments_t3 end') }}
        as net_collection_rate_t90,
    {{ rcm_ratio('total_payments', 'gross_charges') }} as gross_collection_rate,
    ar_total,
    ar_payer,
    ar_patient,
    {{ rcm_ratio('ar_over_90', 'ar_total') }} as ar_over_90_pct,
    {{ rcm_ratio('ar_over_120', 'ar_total') }} as ar_over_120_pct,
    cast({{ rcm_ratio('ar_total * days_t3', 'gross_charges_t3') }} as decimal(18, 2)) as days_in_ar,
    cast({{ rcm_ratio('ar_total * days_t12', 'case when adjusted_charges_t12 > 0 then adjusted_charges_t12 end') }} as decimal(18, 2))
        as days_in_ar_mgma,
    charge_lag_days_median,
    payment_lag_days_median,
    {{ rcm_ratio('patient_payments_time_of_service', 'patient_cash_receipts') }} as pos_collection_rate,
    -- HFMA: claims initially denied in the month ÷ average claims submitted per month over the (up to) three
    -- months before, written as denied × months ÷ their total so nothing is divided twice
    {{ rcm_ratio('claims_initially_denied * months_prior_3', 'claims_submitted_prior_3') }} as initial_denial_rate,
    {{ rcm_ratio('claims_accepted_first_pass', 'claims_acknowledged') }} as first_pass_acceptance_rate
from windowed
