{{ config(materialized='table') }}

-- The sums every monthly KPI is computed from, per practice × month × dimension value. One path for all grains:
-- each claim is counted once under each dimension (practice as a whole, its rendering provider, its location,
-- its payer billed), so the practice totals and the companion grains follow the same rules.
-- Months are dense (a month without activity is a row of zeros) so trailing windows count calendar months.
with

monetary_events as (

    -- the ledger read twice, each time filtered in the scan: one CTE read by both would be materialized whole
    -- (25 million events at fifty practices)
    select practice_id, claim_id, event_date, event_type, amount, is_time_of_service, is_contractual
    from {{ ref('int_claim_ledger') }}
    where is_monetary

),

payer_payment_events as (

    select practice_id, claim_id, event_date, payment_date, source_id
    from {{ ref('int_claim_ledger') }}
    where event_type = 'payer_payment' and amount > 0

),

claims as {{ rcm_inline() }} (

    -- the columns used, named: an inlined CTE read more than once is read whole otherwise
    select practice_id, claim_id, provider_id, location_id, payer_id, service_date, first_submitted_date
    from {{ ref('int_claims') }}

),

snapshots as (

    select * from {{ ref('int_ar_snapshots') }}
    where is_month_end

),

snapshot_dates as (

    select * from {{ ref('int_ar_snapshot_dates') }}

),

dimensions as (

    {{ kpi_dimensions() }}

),

claim_month_sums as (

    -- each claim's monetary events summed per month first (exact: decimal sums), so the fan-out to the
    -- dimensions below repeats one row per claim and month instead of one per event
    select
        practice_id,
        claim_id,
        {{ rcm_month_start('event_date') }} as event_month,
        sum(case when event_type = 'charge' then amount else 0 end) as gross_charges,
        sum(case when event_type = 'payer_payment' then amount else 0 end) as payer_payments,
        sum(case when event_type in ('patient_payment', 'refund') then amount else 0 end) as patient_payments,
        sum(case when event_type = 'refund' then -amount else 0 end) as refunds,
        sum(case when event_type = 'patient_payment' then amount else 0 end) as patient_cash_receipts,
        sum(case when event_type = 'patient_payment' and is_time_of_service then amount else 0 end)
            as patient_payments_time_of_service,
        sum(case when event_type = 'adjustment' and is_contractual then amount else 0 end) as contractual_adjustments,
        sum(case when event_type = 'adjustment' and not is_contractual then amount else 0 end) as other_adjustments
    from monetary_events
    group by practice_id, claim_id, {{ rcm_month_start('event_date') }}

),

claim_month_facts as (

    -- the claim's dimension values joined once per claim and month, before the fan-out to the dimensions
    select
        claim_month_sums.*,
        claims.provider_id,
        claims.location_id,
        claims.payer_id
    from claim_month_sums
    left join claims
        on claims.practice_id = claim_month_sums.practice_id
        and claims.claim_id = claim_month_sums.claim_id

),

events as (

    -- events of claims the PM charges do not list (or unapplied payments) count for the practice and '(none)'
    select
        claim_month_facts.*,
        dimensions.dimension,
        {{ kpi_dimension_value('claim_month_facts') }} as dimension_value
    from claim_month_facts
    cross join dimensions

),

event_sums as (

    select
        practice_id,
        dimension,
        dimension_value,
        event_month as month,
        sum(gross_charges) as gross_charges,
        sum(payer_payments) as payer_payments,
        sum(patient_payments) as patient_payments,
        sum(refunds) as refunds,
        sum(patient_cash_receipts) as patient_cash_receipts,
        sum(patient_payments_time_of_service) as patient_payments_time_of_service,
        sum(contractual_adjustments) as contractual_adjustments,
        sum(other_adjustments) as other_adjustments
    from events
    group by practice_id, dimension, dimension_value, event_month

),

ar_sums as (

    select
        snapshots.practice_id,
        dimensions.dimension,
        {{ kpi_dimension_value('snapshots', payer_column='current_payer_id') }} as dimension_value,
        snapshots.snapshot_month as month,
        sum(snapshots.balance) as ar_total,
        sum(case when snapshots.responsible_party = 'payer' then snapshots.balance else 0 end) as ar_payer,
        sum(case when snapshots.responsible_party = 'patient' then snapshots.balance else 0 end) as ar_patient,
        sum(case when snapshots.aging_bucket in ('91-120', '>120') then snapshots.balance else 0 end) as ar_over_90,
        sum(case when snapshots.aging_bucket = '>120' then snapshots.balance else 0 end) as ar_over_120
    from snapshots
    cross join dimensions
    group by 1, 2, 3, 4

),

first_payer_payments as (

    select practice_id, claim_id, event_date as posted_date, payment_date
    from (
        select
            payer_payment_events.*,
            row_number() over (partition by practice_id, claim_id order by event_date, payment_date, source_id) as payment_rank
        from payer_payment_events
    ) as ranked
    where payment_rank = 1

),

claim_lags as (

    select
        claims.practice_id,
        claims.claim_id,
        claims.provider_id,
        claims.location_id,
        claims.payer_id,
        {{ rcm_month_start('claims.service_date') }} as service_month,
        {{ rcm_month_start('first_payer_payments.posted_date') }} as first_payment_month,
        case
            when claims.first_submitted_date is not null
                then {{ dbt.datediff('claims.service_date', 'claims.first_submitted_date', 'day') }}
        end as charge_lag_days,
        case
            when claims.first_submitted_date is not null and first_payer_payments.payment_date is not null
                then {{ dbt.datediff('claims.first_submitted_date', 'first_payer_payments.payment_date', 'day') }}
        end as payment_lag_days
    from claims
    left join first_payer_payments
        on first_payer_payments.practice_id = claims.practice_id
        and first_payer_payments.claim_id = claims.claim_id

),

charge_lags as (

    select
        claim_lags.practice_id,
        dimensions.dimension,
        {{ kpi_dimension_value('claim_lags') }} as dimension_value,
        claim_lags.service_month as month,
        {{ rcm_median('claim_lags.charge_lag_days') }} as charge_lag_days_median
    from claim_lags
    cross join dimensions
    where claim_lags.charge_lag_days is not null
    group by 1, 2, 3, 4

),

payment_lags as (

    select
        claim_lags.practice_id,
        dimensions.dimension,
        {{ kpi_dimension_value('claim_lags') }} as dimension_value,
        claim_lags.first_payment_month as month,
        {{ rcm_median('claim_lags.payment_lag_days') }} as payment_lag_days_median
    from claim_lags
    cross join dimensions
    where claim_lags.payment_lag_days is not null
    group by 1, 2, 3, 4

),

months as (

    select distinct practice_id, snapshot_month as month
    from snapshot_dates

),

dimension_values as (

    select distinct practice_id, dimension, dimension_value from event_sums
    union
    select distinct practice_id, dimension, dimension_value from ar_sums

),

grid as (

    select
        months.practice_id,
        dimension_values.dimension,
        dimension_values.dimension_value,
        months.month,
        {{ dbt.datediff('months.month', rcm_month_end('months.month'), 'day') }} + 1 as days_in_month
    from months
    inner join dimension_values
        on dimension_values.practice_id = months.practice_id

)

select
    grid.practice_id,
    grid.dimension,
    grid.dimension_value,
    grid.month,
    grid.days_in_month,
    cast(coalesce(event_sums.gross_charges, 0) as decimal(18, 2)) as gross_charges,
    cast(coalesce(event_sums.payer_payments, 0) as decimal(18, 2)) as payer_payments,
    cast(coalesce(event_sums.patient_payments, 0) as decimal(18, 2)) as patient_payments,
    cast(coalesce(event_sums.refunds, 0) as decimal(18, 2)) as refunds,
    cast(coalesce(event_sums.patient_cash_receipts, 0) as decimal(18, 2)) as patient_cash_receipts,
    cast(coalesce(event_sums.patient_payments_time_of_service, 0) as decimal(18, 2)) as patient_payments_time_of_service,
    cast(coalesce(event_sums.contractual_adjustments, 0) as decimal(18, 2)) as contractual_adjustments,
    cast(coalesce(event_sums.other_adjustments, 0) as decimal(18, 2)) as other_adjustments,
    cast(coalesce(ar_sums.ar_total, 0) as decimal(18, 2)) as ar_total,
    cast(coalesce(ar_sums.ar_payer, 0) as decimal(18, 2)) as ar_payer,
    cast(coalesce(ar_sums.ar_patient, 0) as decimal(18, 2)) as ar_patient,
    cast(coalesce(ar_sums.ar_over_90, 0) as decimal(18, 2)) as ar_over_90,
    cast(coalesce(ar_sums.ar_over_120, 0) as decimal(18, 2)) as ar_over_120,
    cast(charge_lags.charge_lag_days_median as decimal(9, 1)) as charge_lag_days_median,
    cast(payment_lags.payment_lag_days_median as decimal(9, 1)) as payment_lag_days_median
from grid
left join event_sums
    on event_sums.practice_id = grid.practice_id
    and event_sums.dimension = grid.dimension
    and event_sums.dimension_value = grid.dimension_value
    and event_sums.month = grid.month
left join ar_sums
    on ar_sums.practice_id = grid.practice_id
    and ar_sums.dimension = grid.dimension
    and ar_sums.dimension_value = grid.dimension_value
    and ar_sums.month = grid.month
left join charge_lags
    on charge_lags.practice_id = grid.practice_id
    and charge_lags.dimension = grid.dimension
    and charge_lags.dimension_value = grid.dimension_value
    and charge_lags.month = grid.month
left join payment_lags
    on payment_lags.practice_id = grid.practice_id
    and payment_lags.dimension = grid.dimension
    and payment_lags.dimension_value = grid.dimension_value
    and payment_lags.month = grid.month
