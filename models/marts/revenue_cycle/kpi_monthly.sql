-- One row per practice × month: the revenue-cycle KPIs (definitions in _kpi__docs.md).
select
    practice_id,
    month,
    {{ kpi_measure_columns() }}
from {{ ref('int_kpi_monthly') }}
where dimension = 'practice'
