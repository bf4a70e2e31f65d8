-- Timely-filing limits (days from the date of service) a practice set per payer in the settings file.
{{ settings_rows('rcm_filing_limits', [
    ('practice_id', 'text'),
    ('payer_id', 'text'),
    ('filing_limit_days', 'int'),
]) }}
