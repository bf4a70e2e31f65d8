-- The monthly reconciliation statement adds up. Per practice and month, the remitted dollars of the bank rows
-- and those of the posting rows each equal Σ BPR02 of the 835s paid in the month (BPR16, else the production date) (every remitted dollar is
-- matched or in a named exception, once per side); per practice, the posted dollars equal every PM payer
-- payment plus every patient receipt deposited or pending, and the deposited dollars every bank deposit.
-- Rows returned are failures.
with

statement as (

    select
        practice_id,
        month,
        sum(case when reconciliation = 'bank' then remitted_amount else 0 end) as bank_remitted,
        sum(case when reconciliation = 'posting' then remitted_amount else 0 end) as posting_remitted
    from {{ ref('reconciliation_monthly') }}
    group by practice_id, month

),

remittances as (

    select
        practice_id,
        {{ rcm_month_start('coalesce(payment_date, production_date)') }} as month,
        sum(case when credit_debit_flag = 'D' then -total_paid else total_paid end) as bpr_total
    from {{ source('era', 'era_remittances') }}
    group by practice_id, {{ rcm_month_start('coalesce(payment_date, production_date)') }}

),

monthly_failures as (

    select
        coalesce(statement.practice_id, remittances.practice_id) as practice_id,
        coalesce(statement.month, remittances.month) as month,
        'remitted' as check_name,
        coalesce(remittances.bpr_total, 0) as expected,
        coalesce(statement.bank_remitted, 0) as bank_side,
        coalesce(statement.posting_remitted, 0) as posting_side
    from statement
    full outer join remittances
        on remittances.practice_id = statement.practice_id
        -- an 835 with neither a payment nor a production date has no month: those compare with each other
        and coalesce(remittances.month, cast('1900-01-01' as date)) = coalesce(statement.month, cast('1900-01-01' as date))
    where coalesce(statement.bank_remitted, 0) <> coalesce(remittances.bpr_total, 0)
        or coalesce(statement.posting_remitted, 0) <> coalesce(remittances.bpr_total, 0)

),

practice_totals as (

    select
        practice_id,
        sum(case when reconciliation = 'posting' then posted_amount else 0 end) as payer_posted,
        sum(deposited_amount) as deposited
    from {{ ref('reconciliation_monthly') }}
    group by practice_id

),

payer_payments as (

    select practice_id, sum(amount) as payer_posted
    from {{ ref('stg_pm__payments') }}
    where payment_source = 'payer'
    group by practice_id

),

deposits as (

    select practice_id, sum(amount) as deposited
    from {{ ref('stg_pm__bank_deposits') }}
    group by practice_id

),

practice_failures as (

    select
        practice_totals.practice_id,
        cast(null as date) as month,
        'posted_and_deposited' as check_name,
        coalesce(payer_payments.payer_posted, 0) as expected,
        practice_totals.payer_posted as bank_side,
        practice_totals.deposited as posting_side
    from practice_totals
    left join payer_payments
        on payer_payments.practice_id = practice_totals.practice_id
    left join deposits
        on deposits.practice_id = practice_totals.practice_id
    where practice_totals.payer_posted <> coalesce(payer_payments.payer_posted, 0)
        or practice_totals.deposited <> coalesce(deposits.deposited, 0)

)

select * from monthly_failures
union all
select * from practice_failures
