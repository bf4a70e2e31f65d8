-- Charge lines per practice × service month × CPT code × payer × rendering provider × location.
select
    practice_id,
    strftime(service_month, '%Y-%m') as month_key,
    cpt,
    coalesce(payer_id, '(none)') as payer_id,
    coalesce(provider_id, '(none)') as provider_id,
    coalesce(location_id, '(none)') as location_id,
    count(*) as lines,
    sum(units) as units,
    sum(charge_amount) as charges
from marts.claim_lines
group by all
