-- The payer scorecard over the twelve months ending with each month: volume, money, rejection and initial denial
-- rates, days to pay, underpaid dollars (the hassle measures of a negotiation).
select strftime(month, '%Y-%m') as month_key, *
from marts.payer_scorecard
where period = 'trailing_12_months'
