-- The kpi_monthly measures per practice × month × provider, location or payer (the `dimension` column says which;
-- `dimension_value` is the PM code, '(none)' for postings on claims the PM charges do not list).
select
    practice_id,
    dimension,
    dimension_value,
    month,
    {{ kpi_measure_columns() }}
from {{ ref('int_kpi_monthly') }}
where dimension <> 'practice'
