-- Allowed per unit per payer × CPT over the twelve months ending with each month, beside the practice's other
-- payers and the reference schedule.
select strftime(month, '%Y-%m') as month_key, *
from marts.payer_code_rates
where period = 'trailing_12_months'
