select strftime(month, '%Y-%m') as month_key, *
from marts.payer_denial_mix
where period = 'trailing_12_months'
