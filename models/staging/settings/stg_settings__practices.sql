-- One row per practice named in the settings file (rcm.config.yaml): its name and per-practice settings.
{{ settings_rows('rcm_practices', [
    ('practice_id', 'text'),
    ('practice_name', 'text'),
    ('time_zone', 'text'),
    ('rejection_sla_business_days', 'int'),
    ('small_cell_min_claims', 'int'),
]) }}
