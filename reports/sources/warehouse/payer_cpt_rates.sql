-- Allowed per unit by practice × payer × CPT (remitted lines only), beside the same code at the practice's
-- other payers together.
with

rates as (

    select
        practice_id,
        payer_id,
        cpt,
        sum(units) as units,
        sum(era_allowed_amount) as allowed
    from marts.claim_lines
    where has_remittance and not is_self_pay and units > 0
    group by all

),

totals as (

    select practice_id, cpt, sum(units) as units, sum(allowed) as allowed
    from rates
    group by all

)

select
    rates.practice_id,
    rates.payer_id,
    rates.cpt,
    rates.units,
    rates.allowed,
    rates.allowed / rates.units as allowed_per_unit,
    case when totals.units > rates.units then (totals.allowed - rates.allowed) / (totals.units - rates.units) end
        as other_payers_allowed_per_unit
from rates
inner join totals using (practice_id, cpt)
