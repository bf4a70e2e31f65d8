-- The target of every KPI for every practice: the practice's target in the settings file (rcm.config.yaml), else
-- its own row of the kpi_targets seed, else the seed's default row (practice_id '*'). Every model and report reads
-- targets and thresholds here (or in the practice_kpi_targets mart), never from the seed or the settings.
with

seed_targets as {{ rcm_inline() }} (

    select * from {{ ref('kpi_targets') }}

),

settings_targets as (

    select
        settings.practice_id,
        settings.kpi_name,
        defaults.direction,
        settings.target_value,
        settings.poor_value,
        'settings file (rcm.config.yaml)' as source,
        0 as rank_of_source
    from {{ ref('stg_settings__kpi_targets') }} as settings
    -- The direction is the KPI's, not the practice's: a settings target for a KPI without a seed row is ignored.
    inner join seed_targets as defaults
        on defaults.kpi_name = settings.kpi_name
        and defaults.practice_id = '*'

),

targets as (

    select
        practice_id, kpi_name, direction, target_value, poor_value, source,
        case when practice_id = '*' then 2 else 1 end as rank_of_source
    from seed_targets

    union all

    select practice_id, kpi_name, direction, target_value, poor_value, source, rank_of_source
    from settings_targets

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
            order by targets.rank_of_source
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
