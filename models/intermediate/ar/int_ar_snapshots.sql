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
        max(case when event_type = 'transfer_to_patient' then event_date end) as transfer_date,
        max(case when event_type = 'transfer_to_payer' then event_date end) as transfer_back_date
    from ledger
    where is_monetary or event_type in ('transfer_to_patient', 'transfer_to_payer')
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
        max(claim_months.transfer_date) as transfer_date,
        max(claim_months.transfer_back_date) as transfer_back_date
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
        claims.payer_id as current_payer_id,
        claims.payer_type,
        claims.provider_id,
        claims.location_id,
        claims.service_date,
        case when claims.first_submitted_date <= balances.snapshot_date then claims.first_submitted_date end
            as first_submitted_date,
        case
            when claims.is_self_pay then 'patient'
            -- the latest transfer decides; a transfer and its reversal on one day leave the claim with the payer
            when balances.transfer_date <= balances.snapshot_date
                and (balances.transfer_back_date is null or balances.transfer_date > balances.transfer_back_date)
                then 'patient'
            else 'payer'
        end as responsible_party,
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
