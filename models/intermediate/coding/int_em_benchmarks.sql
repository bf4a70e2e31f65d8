-- The E/M benchmark each provider is compared with, per visit type: the em_benchmarks rows of the provider's
-- taxonomy, latest data year, else family practice's (207Q00000X), with the benchmark's mean level.
with

benchmarks as {{ rcm_inline() }} (

    select * from {{ ref('em_benchmarks') }}

),

providers as (

    select distinct practice_id, provider_id, taxonomy_code from {{ ref('stg_pm__providers') }}

),

latest as (

    select taxonomy_code, visit_type, max(data_year) as data_year
    from benchmarks
    group by taxonomy_code, visit_type

),

current_benchmarks as (

    select benchmarks.*
    from benchmarks
    inner join latest
        on latest.taxonomy_code = benchmarks.taxonomy_code
        and latest.visit_type = benchmarks.visit_type
        and latest.data_year = benchmarks.data_year

),

benchmark_means as (

    select
        taxonomy_code,
        visit_type,
        max(specialty) as specialty,
        max(data_year) as data_year,
        max(source) as source,
        cast(sum(visit_level * share_pct) / sum(share_pct) as decimal(9, 4)) as mean_level
    from current_benchmarks
    group by taxonomy_code, visit_type

),

visit_types as (

    select 'new' as visit_type union all select 'established'

),

chosen as (

    select
        providers.practice_id,
        providers.provider_id,
        visit_types.visit_type,
        coalesce(own.taxonomy_code, fallback.taxonomy_code) as benchmark_taxonomy_code
    from providers
    cross join visit_types
    left join benchmark_means as own
        on own.taxonomy_code = providers.taxonomy_code
        and own.visit_type = visit_types.visit_type
    left join benchmark_means as fallback
        on fallback.taxonomy_code = '207Q00000X'
        and fallback.visit_type = visit_types.visit_type

)

select
    chosen.practice_id,
    chosen.provider_id,
    chosen.visit_type,
    chosen.benchmark_taxonomy_code,
    benchmark_means.specialty as benchmark_specialty,
    benchmark_means.data_year as benchmark_year,
    benchmark_means.source as benchmark_source,
    benchmark_means.mean_level as benchmark_mean_level,
    current_benchmarks.cpt,
    current_benchmarks.visit_level,
    current_benchmarks.share_pct as benchmark_share_pct
from chosen
inner join benchmark_means
    on benchmark_means.taxonomy_code = chosen.benchmark_taxonomy_code
    and benchmark_means.visit_type = chosen.visit_type
inner join current_benchmarks
    on current_benchmarks.taxonomy_code = chosen.benchmark_taxonomy_code
    and current_benchmarks.visit_type = chosen.visit_type
