-- Units and allowed per practice × payer × CPT × service month (remitted lines only): the payer page sums the
-- months picked and sets a payer's allowed per unit beside the same code at the practice's other payers together.
select
    practice_id,
    payer_id,
    cpt,
    strftime(service_month, '%Y-%m') as month_key,
    sum(units) as units,
    sum(era_allowed_amount) as allowed
from marts.claim_lines
where has_remittance and not is_self_pay and units > 0
group by all
