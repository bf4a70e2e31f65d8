-- The target of every KPI for every practice, as resolved in int_kpi_targets (settings file, then the practice's
-- seed row, then the default): what the reports compare the KPIs with.
select
    practice_id,
    kpi_name,
    direction,
    target_value,
    poor_value,
    source,
    is_practice_override
from {{ ref('int_kpi_targets') }}
