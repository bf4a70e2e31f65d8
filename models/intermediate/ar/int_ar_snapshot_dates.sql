{{ config(materialized='table') }}

-- Per practice, the dates A/R is taken at: every month end from the first month with a PM event through the
-- month of the data's as-of date, and the as-of date itself (the latest date of any PM posting or service).
-- A table: four models and a data test read it, and as a view each would scan the ledger again for a few rows.
with

ledger as (

    select * from {{ ref('int_claim_ledger') }}
    where is_monetary

),

calendar as (

    select * from {{ ref('int_calendar_days') }}

),

bounds as (

    select
        practice_id,
        min(event_date) as first_event_date,
        max(event_date) as as_of_date
    from ledger
    group by practice_id

),

month_ends as (

    select
        bounds.practice_id,
        calendar.date_day as snapshot_date,
        bounds.as_of_date
    from bounds
    inner join calendar
        on calendar.is_month_end
        and calendar.date_day >= bounds.first_event_date
        and calendar.month_start <= bounds.as_of_date

),

snapshot_dates as (

    select practice_id, snapshot_date, as_of_date from month_ends
    union
    select practice_id, as_of_date, as_of_date from bounds

)

select
    snapshot_dates.practice_id,
    snapshot_dates.snapshot_date,
    {{ rcm_month_start('snapshot_dates.snapshot_date') }} as snapshot_month,
    snapshot_dates.snapshot_date = {{ rcm_month_end('snapshot_dates.snapshot_date') }} as is_month_end,
    snapshot_dates.snapshot_date = snapshot_dates.as_of_date as is_as_of_date,
    snapshot_dates.as_of_date
from snapshot_dates
