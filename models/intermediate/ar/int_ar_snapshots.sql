{{ config(materialized='table') }}

-- Every claim with a non-zero balance at every snapshot date, from the dated ledger only (never from a current
-- status), so a past month end comes out the same whenever it is computed.
with

ledger as (

    select * from {{ ref('int_claim_ledger') }}

),

snapshot_dates as (

    select * from {{ ref('int_ar_snapshot_dates') }}

),

claims as (

    select * from {{ ref('int_claims') }}

),

claim_months as (

    -- one row per claim and month of activity: fewer rows to join to the snapshot dates. Every event is on or
    -- before the as-of date, so an event counts at a snapshot when its month ends no later than the snapshot's.
    select
        practice_id,
        claim_id,
        {{ rcm_month_end('event_date') }} as activity_month_end,
        sum(balance_effect) as balance_effect,
        min(event_date) as first_event_date,
        -- responsibility moves primary → (secondary →) patient; the latest transfer by the snapshot says who owes
        max(case when event_type = 'transfer_to_patient' then event_date end) as to_patient_date,
        max(case when event_type = 'transfer_to_secondary' then event_date end) as to_secondary_date,
        max(case when event_type = 'transfer_to_secondary' then payer_id end) as secondary_payer_id,
        -- a transfer the PM posted back to the payer (a reversal of a transfer to the patient)
        max(case when event_type = 'transfer_to_payer' then event_date end) as to_payer_date
    from ledger
    where is_monetary or event_type in ('transfer_to_patient', 'transfer_to_secondary', 'transfer_to_payer')
    group by practice_id, claim_id, {{ rcm_month_end('event_date') }}

),

claim_positions as (

    -- each claim's running totals through each month of activity: every snapshot from that month end until the
    -- claim's next month of activity sees the same totals, so the ledger is summed once per claim instead of once
    -- per claim and snapshot
    select
        practice_id,
        claim_id,
        activity_month_end,
        coalesce(
            lead(activity_month_end) over (partition by practice_id, claim_id order by activity_month_end),
            cast('9999-12-31' as date)
        ) as next_activity_month_end,
        cast(sum(balance_effect) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as balance,
        min(first_event_date) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and current row
        ) as first_event_date,
        -- transfers of the months before: all on or before any snapshot that sees this month
        max(to_patient_date) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and 1 preceding
        ) as earlier_to_patient_date,
        max(to_secondary_date) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and 1 preceding
        ) as earlier_to_secondary_date,
        max(secondary_payer_id) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and 1 preceding
        ) as earlier_secondary_payer_id,
        max(to_payer_date) over (
            partition by practice_id, claim_id order by activity_month_end
            rows between unbounded preceding and 1 preceding
        ) as earlier_to_payer_date,
        -- this month's own, which the as-of date (inside the month) may precede
        to_patient_date,
        to_secondary_date,
        secondary_payer_id,
        to_payer_date
    from claim_months
    -- an event without a date is in no snapshot
    where activity_month_end is not null

),

open_positions as (

    -- a claim at zero from one month of activity to the next is in no snapshot of those months
    select * from claim_positions
    where balance <> 0

),

snapshot_months as (

    select
        *,
        {{ rcm_month_end('snapshot_date') }} as snapshot_month_end
    from snapshot_dates

),

balances as (

    select
        snapshot_months.practice_id,
        snapshot_months.snapshot_date,
        snapshot_months.snapshot_month,
        snapshot_months.is_month_end,
        snapshot_months.is_as_of_date,
        open_positions.claim_id,
        open_positions.balance,
        open_positions.first_event_date,
        -- the as-of date falls inside its month: a transfer dated after it (an 835 newer than the last posting)
        -- does not count yet
        {{ rcm_later_of(
            'open_positions.earlier_to_patient_date',
            'case when open_positions.to_patient_date <= snapshot_months.snapshot_date then open_positions.to_patient_date end'
        ) }} as to_patient_date,
        {{ rcm_later_of(
            'open_positions.earlier_to_secondary_date',
            'case when open_positions.to_secondary_date <= snapshot_months.snapshot_date then open_positions.to_secondary_date end'
        ) }} as to_secondary_date,
        {{ rcm_later_of(
            'open_positions.earlier_secondary_payer_id',
            'case when open_positions.to_secondary_date <= snapshot_months.snapshot_date then open_positions.secondary_payer_id end'
        ) }} as secondary_payer_id,
        {{ rcm_later_of(
            'open_positions.earlier_to_payer_date',
            'case when open_positions.to_payer_date <= snapshot_months.snapshot_date then open_positions.to_payer_date end'
        ) }} as to_payer_date
    from open_positions
    inner join snapshot_months
        on snapshot_months.practice_id = open_positions.practice_id
        and snapshot_months.snapshot_month_end >= open_positions.activity_month_end
        and snapshot_months.snapshot_month_end < open_positions.next_activity_month_end

),

open_claims as (

    select
        balances.practice_id,
        balances.snapshot_date,
        balances.snapshot_month,
        balances.is_month_end,
        balances.is_as_of_date,
        balances.claim_id,
        claims.claim_id is not null as is_claim_in_pm,
        -- the secondary once the balance went to it (null while a crossover names no carrier the PM knows)
        case when balances.to_secondary_date is not null then balances.secondary_payer_id else claims.payer_id end
            as current_payer_id,
        claims.payer_type,
        claims.provider_id,
        claims.location_id,
        claims.service_date,
        case when claims.first_submitted_date <= balances.snapshot_date then claims.first_submitted_date end
            as first_submitted_date,
        case
            when claims.is_self_pay then 'patient'
            -- a transfer to the patient on the day of the transfer to the secondary is the secondary's; one the PM
            -- reversed (back to the payer on the same day or later) is the payer's again
            when balances.to_patient_date >= coalesce(balances.to_secondary_date, balances.to_patient_date)
                and (balances.to_payer_date is null or balances.to_patient_date > balances.to_payer_date)
                then 'patient'
            else 'payer'
        end as responsible_party,
        case
            when claims.is_self_pay then cast(null as {{ dbt.type_string() }})
            when balances.to_patient_date >= coalesce(balances.to_secondary_date, balances.to_patient_date)
                and (balances.to_payer_date is null or balances.to_patient_date > balances.to_payer_date)
                then cast(null as {{ dbt.type_string() }})
            when balances.to_secondary_date is not null
                and (balances.to_payer_date is null or balances.to_secondary_date > balances.to_payer_date)
                then 'secondary'
            else 'primary'
        end as payer_level,
        balances.balance,
        balances.balance < 0 as is_credit_balance,
        {{ dbt.datediff('coalesce(claims.service_date, balances.first_event_date)', 'balances.snapshot_date', 'day') }}
            as age_from_service_days
    from balances
    left join claims
        on claims.practice_id = balances.practice_id
        and claims.claim_id = balances.claim_id

)

select
    open_claims.*,
    case
        when first_submitted_date is not null
            then {{ dbt.datediff('first_submitted_date', 'snapshot_date', 'day') }}
    end as age_from_submission_days,
    case
        when age_from_service_days <= 30 then '0-30'
        when age_from_service_days <= 60 then '31-60'
        when age_from_service_days <= 90 then '61-90'
        when age_from_service_days <= 120 then '91-120'
        else '>120'
    end as aging_bucket
from open_claims
