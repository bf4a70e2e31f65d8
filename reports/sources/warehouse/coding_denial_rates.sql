select
    practice_id,
    provider_id,
    strftime(month, '%Y-%m') as month_key,
    month,
    claims_adjudicated,
    claims_coding_denied,
    coding_denial_rate
from marts.coding_denial_rates
