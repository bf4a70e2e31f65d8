-- The dates a practice changed billing vendor (or took billing in-house), from the settings file.
{{ settings_rows('rcm_vendor_changes', [
    ('practice_id', 'text'),
    ('change_date', 'date'),
    ('vendor', 'text'),
]) }}
