-- KPI targets a practice set in the settings file; they override seeds/kpi_targets.csv (practice_kpi_targets).
{{ settings_rows('rcm_kpi_targets', [
    ('practice_id', 'text'),
    ('kpi_name', 'text'),
    ('target_value', 'decimal'),
    ('poor_value', 'decimal'),
]) }}
