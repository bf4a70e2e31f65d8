-- E/M level distribution per practice × rendering provider × month of service × visit type (new,
-- established) × level, in the month and over the 12 months ending with it, beside the benchmark share; the
-- provider's mean level against the benchmark's, flagged `high` or `low` when the 12-month mean deviates by
-- more than the practice's threshold (int_kpi_targets em_mean_level_deviation) over at least var
-- em_min_visits visits.
with

counts as {{ rcm_inline() }} (

    select * from {{ ref('int_em_visit_counts') }}

),

benchmarks as {{ rcm_inline() }} (

    select * from {{ ref('int_em_benchmarks') }}

),

thresholds as (

    select practice_id, target_value as threshold
    from {{ ref('int_kpi_targets') }}
    where kpi_name = 'em_mean_level_deviation'

),

means as (

    select
        practice_id,
        provider_id,
        month,
        visit_type,
        {{ rcm_ratio('sum(visit_level * visits)', 'sum(visits)') }} as mean_level,
        {{ rcm_ratio('sum(visit_level * visits_12m)', 'sum(visits_12m)') }} as mean_level_12m
    from counts
    group by practice_id, provider_id, month, visit_type

),

benchmark_means as (

    select distinct
        practice_id, provider_id, visit_type, benchmark_specialty, benchmark_year, benchmark_source, benchmark_mean_level
    from benchmarks

),

compared as (

    select
        means.*,
        benchmark_means.benchmark_specialty,
        benchmark_means.benchmark_year,
        benchmark_means.benchmark_source,
        benchmark_means.benchmark_mean_level,
        thresholds.threshold,
        means.mean_level_12m - benchmark_means.benchmark_mean_level as deviation_12m
    from means
    left join benchmark_means
        on benchmark_means.practice_id = means.practice_id
        and benchmark_means.provider_id = means.provider_id
        and benchmark_means.visit_type = means.visit_type
    left join thresholds
        on thresholds.practice_id = means.practice_id

)

select
    counts.practice_id,
    counts.provider_id,
    counts.month,
    counts.visit_type,
    counts.cpt,
    cast(counts.visit_level as integer) as visit_level,
    cast(counts.visits as integer) as visits,
    {{ rcm_ratio('counts.visits', 'counts.type_visits') }} as visit_share,
    cast(counts.visits_12m as integer) as visits_12m,
    {{ rcm_ratio('counts.visits_12m', 'counts.type_visits_12m') }} as visit_share_12m,
    cast(benchmarks.benchmark_share_pct / 100 as decimal(18, 6)) as benchmark_share,
    cast(counts.type_visits_12m as integer) as type_visits_12m,
    compared.mean_level,
    compared.mean_level_12m,
    compared.benchmark_mean_level,
    compared.benchmark_specialty,
    compared.benchmark_year,
    compared.benchmark_source,
    cast(compared.deviation_12m as decimal(18, 6)) as deviation_12m,
    cast(compared.threshold as decimal(12, 4)) as deviation_threshold,
    case
        when counts.type_visits_12m < {{ var('em_min_visits') }} or compared.deviation_12m is null then null
        when compared.deviation_12m > compared.threshold then 'high'
        when compared.deviation_12m < -compared.threshold then 'low'
        else 'within'
    end as deviation_flag
from counts
inner join compared
    on compared.practice_id = counts.practice_id
    and compared.provider_id = counts.provider_id
    and compared.month = counts.month
    and compared.visit_type = counts.visit_type
left join benchmarks
    on benchmarks.practice_id = counts.practice_id
    and benchmarks.provider_id = counts.provider_id
    and benchmarks.visit_type = counts.visit_type
    and benchmarks.cpt = counts.cpt
