-- First-pass acceptance and the clean-claim proxy per practice × month of first submission × payer.
select
    practice_id,
    strftime(month, '%Y-%m') as month_key,
    month,
    payer_id,
    claims_submitted,
    claims_accepted_first_pass,
    claims_rejected,
    claims_awaiting_acknowledgement,
    claims_clean,
    claims_initially_denied,
    first_pass_acceptance_rate,
    clean_claim_rate
from marts.first_pass_monthly
