{{ config(materialized="table") }}

-- E/M office visits per practice × rendering provider × month of service × visit type × level, in the month
-- and over the 12 months ending with it. New patient: 99202-99205 (99201 until its 2021 deletion); established:
-- 99211-99215. A line counts as one visit (units are 1 for these codes).
with

claim_lines as (

    select * from {{ ref('int_claim_lines') }}

),

em_lines as (

    select
        practice_id,
        coalesce(provider_id, '(none)') as provider_id,
        {{ rcm_month_start('service_date') }} as month,
        case when cpt in ('99201', '99202', '99203', '99204', '99205') then 'new' else 'established' end as visit_type,
        cpt,
        cast({{ dbt.right('cpt', 1) }} as integer) as visit_level
    from claim_lines
    where cpt in ('99201', '99202', '99203', '99204', '99205', '99211', '99212', '99213', '99214', '99215')

),

monthly as (

    select practice_id, provider_id, month, visit_type, cpt, visit_level, count(*) as visits
    from em_lines
    group by practice_id, provider_id, month, visit_type, cpt, visit_level

),

provider_months as (

    select distinct practice_id, provider_id, month, visit_type from monthly

),

levels as (

    select distinct visit_type, cpt, visit_level from em_lines

),

grid as (

    -- every level of the visit type in every month the provider saw such visits, so shares sum to one
    select provider_months.*, levels.cpt, levels.visit_level
    from provider_months
    inner join levels
        on levels.visit_type = provider_months.visit_type

),

rolling as (

    select
        grid.practice_id,
        grid.provider_id,
        grid.month,
        grid.visit_type,
        grid.cpt,
        grid.visit_level,
        cast(sum(case when monthly.month = grid.month then monthly.visits else 0 end) as bigint) as visits,
        cast(sum(monthly.visits) as bigint) as visits_12m
    from grid
    left join monthly
        on monthly.practice_id = grid.practice_id
        and monthly.provider_id = grid.provider_id
        and monthly.visit_type = grid.visit_type
        and monthly.cpt = grid.cpt
        and monthly.month > cast({{ dbt.dateadd('month', -12, 'grid.month') }} as date)
        and monthly.month <= grid.month
    group by grid.practice_id, grid.provider_id, grid.month, grid.visit_type, grid.cpt, grid.visit_level

)

select
    practice_id,
    provider_id,
    month,
    visit_type,
    cpt,
    visit_level,
    coalesce(visits, 0) as visits,
    coalesce(visits_12m, 0) as visits_12m,
    cast(sum(coalesce(visits, 0)) over (partition by practice_id, provider_id, month, visit_type) as bigint) as type_visits,
    cast(sum(coalesce(visits_12m, 0)) over (partition by practice_id, provider_id, month, visit_type) as bigint)
        as type_visits_12m
from rolling
