-- The target of every KPI for every practice: the practice's own row of the kpi_targets seed, else the default
-- row (practice_id '*'). Reports read targets here, never from the seed.
with

targets as (

    select * from {{ ref('kpi_targets') }}

),

practices as (

    select distinct practice_id from {{ ref('int_kpi_monthly_measures') }}

),

resolved as (

    select
        practices.practice_id,
        targets.kpi_name,
        targets.direction,
        targets.target_value,
        targets.poor_value,
        targets.source,
        targets.practice_id <> '*' as is_practice_override,
        row_number() over (
            partition by practices.practice_id, targets.kpi_name
            order by case when targets.practice_id = '*' then 1 else 0 end
        ) as preference
    from practices
    inner join targets
        on targets.practice_id in (practices.practice_id, '*')

)

select
    practice_id,
    kpi_name,
    direction,
    cast(target_value as decimal(12, 4)) as target_value,
    cast(poor_value as decimal(12, 4)) as poor_value,
    source,
    is_practice_override
from resolved
where preference = 1
