-- Open payer A/R, one row per claim, ranked for follow-up: the balance still with a payer (a positive balance,
-- not yet handed to the patient), the days left before the timely-filing deadline at the practice's as-of date,
-- the last thing that happened to the claim, and a priority score that favours high dollars near a deadline.
with

claims as {{ rcm_inline() }} (

    select * from {{ ref('claims') }}
    where not is_self_pay
        -- with the payer billed, or with the secondary after it
        and (transferred_to_patient_date is null or status = 'with_secondary')
        and balance > 0

),

deadlines as (

    select * from {{ ref('int_claim_filing_deadlines') }}

),

as_of as (

    select distinct practice_id, as_of_date from {{ ref('int_ar_snapshot_dates') }}

),

last_events as (

    -- only the open claims' events are ranked: the whole ledger's window sort cost more than the rest of the model
    select practice_id, claim_id, event_type, event_date
    from (
        select
            ledger.practice_id,
            ledger.claim_id,
            ledger.event_type,
            ledger.event_date,
            row_number() over (
                partition by ledger.practice_id, ledger.claim_id
                order by ledger.event_date desc, ledger.event_type desc, ledger.source_id desc
            ) as event_rank
        from {{ ref('int_claim_ledger') }} as ledger
        inner join claims
            on claims.practice_id = ledger.practice_id
            and claims.claim_id = ledger.claim_id
    ) as ranked
    where event_rank = 1

),

open_claims as (

    select
        claims.practice_id,
        claims.claim_id,
        claims.account_ref,
        claims.payer_id,
        claims.plan_id,
        claims.payer_type,
        claims.service_date,
        claims.status,
        claims.balance,
        claims.resubmission_count,
        claims.rejection_count,
        deadlines.is_filed,
        deadlines.filing_limit_source,
        deadlines.filing_deadline,
        as_of.as_of_date,
        {{ dbt.datediff('as_of.as_of_date', 'deadlines.filing_deadline', 'day') }} as days_to_deadline,
        {{ dbt.datediff('claims.service_date', 'as_of.as_of_date', 'day') }} as days_since_service,
        last_events.event_type as last_action,
        last_events.event_date as last_action_date
    from claims
    inner join deadlines
        on deadlines.practice_id = claims.practice_id
        and deadlines.claim_id = claims.claim_id
    inner join as_of
        on as_of.practice_id = claims.practice_id
    left join last_events
        on last_events.practice_id = claims.practice_id
        and last_events.claim_id = claims.claim_id

),

banded as (

    select
        *,
        case
            when is_filed then 'filed'
            when days_to_deadline is null then 'no_filing_limit'
            when days_to_deadline < 0 then 'past_deadline'
            when days_to_deadline <= 14 then '0-14'
            when days_to_deadline <= 30 then '15-30'
            when days_to_deadline <= 60 then '31-60'
            else '>60'
        end as deadline_band
    from open_claims

)

select
    practice_id,
    claim_id,
    account_ref,
    payer_id,
    plan_id,
    payer_type,
    service_date,
    status,
    balance,
    is_filed,
    filing_limit_source,
    filing_deadline,
    as_of_date,
    cast(case when is_filed then null else days_to_deadline end as integer) as days_left_to_file,
    deadline_band,
    cast(days_since_service as integer) as days_since_service,
    last_action,
    last_action_date,
    cast(resubmission_count as integer) as follow_up_count,
    -- an unfiled claim near its deadline weighs up to four times its balance; a filed one its balance
    cast(
        balance * case deadline_band
            when '0-14' then 4
            when '15-30' then 3
            when '31-60' then 2
            when 'past_deadline' then 0.5
            else 1
        end as decimal(18, 2)
    ) as priority_score
from banded
