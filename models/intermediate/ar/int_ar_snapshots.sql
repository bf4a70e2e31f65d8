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

balances as (

    select
        snapshot_dates.practice_id,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_month,
        snapshot_dates.is_month_end,
        snapshot_dates.is_as_of_date,
        claim_months.claim_id,
        sum(claim_months.balance_effect) as balance,
        min(claim_months.first_event_date) as first_event_date,
        -- the as-of date falls inside its month: a transfer dated after it (an 835 newer than the last posting)
        -- does not count yet
        max(case when claim_months.to_patient_date <= snapshot_dates.snapshot_date then claim_months.to_patient_date end)
            as to_patient_date,
        max(case when claim_months.to_secondary_date <= snapshot_dates.snapshot_date then claim_months.to_secondary_date end)
            as to_secondary_date,
        max(case when claim_months.to_secondary_date <= snapshot_dates.snapshot_date then claim_months.secondary_payer_id end)
            as secondary_payer_id,
        max(case when claim_months.to_payer_date <= snapshot_dates.snapshot_date then claim_months.to_payer_date end)
            as to_payer_date
    from snapshot_dates
    inner join claim_months
        on claim_months.practice_id = snapshot_dates.practice_id
        and claim_months.activity_month_end <= {{ rcm_month_end('snapshot_dates.snapshot_date') }}
    group by
        snapshot_dates.practice_id,
        snapshot_dates.snapshot_date,
        snapshot_dates.snapshot_month,
        snapshot_dates.is_month_end,
        snapshot_dates.is_as_of_date,
        claim_months.claim_id

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
    where balances.balance <> 0

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
