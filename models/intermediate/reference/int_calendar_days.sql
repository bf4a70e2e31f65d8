{{ config(materialized="table") }}

{#- One row per day from var calendar_start to var calendar_end, built from digits rather than
    dbt.date_spine, which needs the database at compile time and cannot be unit-tested. -#}
with

digits as (

    select 0 as d union all select 1 union all select 2 union all select 3 union all select 4
    union all select 5 union all select 6 union all select 7 union all select 8 union all select 9

),

day_numbers as (

    select
        ten_thousands.d * 10000 + thousands.d * 1000 + hundreds.d * 100 + tens.d * 10 + ones.d as day_number
    from digits as ten_thousands
    cross join digits as thousands
    cross join digits as hundreds
    cross join digits as tens
    cross join digits as ones

),

days as (

    select {{ rcm_add_days("cast('" ~ var('calendar_start') ~ "' as date)", 'day_number') }} as date_day
    from day_numbers

),

holidays as (

    select * from {{ ref('us_federal_holidays') }}

),

calendar as (

    select
        days.date_day,
        {{ rcm_month_start('days.date_day') }} as month_start,
        {{ rcm_month_end('days.date_day') }} as month_end,
        cast(extract(year from days.date_day) as integer) as calendar_year,
        cast(extract(month from days.date_day) as integer) as calendar_month,
        {{ rcm_iso_day_of_week('days.date_day') }} as iso_day_of_week,
        {{ rcm_iso_day_of_week('days.date_day') }} >= 6 as is_weekend,
        holidays.observed_date is not null as is_federal_holiday,
        holidays.holiday_name,
        {{ rcm_iso_day_of_week('days.date_day') }} < 6 and holidays.observed_date is null as is_business_day,
        days.date_day = {{ rcm_month_end('days.date_day') }} as is_month_end
    from days
    left join holidays
        on holidays.observed_date = days.date_day
    where days.date_day <= cast('{{ var("calendar_end") }}' as date)

)

select * from calendar
