-- E/M level shares per provider × month × new/established beside the benchmark.
select
    practice_id,
    provider_id,
    strftime(month, '%Y-%m') as month_key,
    month,
    visit_type,
    cpt,
    visit_level,
    visits,
    visit_share,
    visits_12m,
    visit_share_12m,
    benchmark_share,
    type_visits_12m,
    mean_level_12m,
    benchmark_mean_level,
    benchmark_specialty,
    benchmark_year,
    benchmark_source,
    deviation_12m,
    deviation_threshold,
    deviation_flag
from marts.em_distribution
