-- Denied 835 lines (or claim-level denials), one row per denial: claim number and the claim's account reference
-- (claims mart), never the patient.
select
    d.practice_id,
    d.denial_id,
    d.claim_id,
    c.account_ref,
    d.line_number,
    d.denial_level,
    d.payer_id,
    d.provider_id,
    d.location_id,
    d.cpt,
    d.service_date,
    d.denial_date,
    strftime(d.denial_month, '%Y-%m') as month_key,
    d.group_code,
    d.carc,
    d.rarc,
    d.denial_category,
    d.owner,
    d.is_front_end,
    d.is_coding_related,
    d.charge_amount,
    d.paid_amount,
    d.denied_amount,
    d.is_initial_denial,
    d.outcome,
    d.resolution_date,
    d.days_to_resolution,
    d.recovered_amount
from marts.denials d
left join marts.claims c on c.practice_id = d.practice_id and c.claim_id = d.claim_id
