-- Denials per practice × month of the remittance × payer × provider × category × CARC.
select
    practice_id,
    strftime(month, '%Y-%m') as month_key,
    month,
    payer_id,
    provider_id,
    denial_category,
    owner,
    is_front_end,
    carc,
    denied_lines,
    denied_claims,
    denied_amount,
    initially_denied_claims,
    initially_denied_amount,
    overturned_claims,
    written_off_amount
from marts.denial_trends
