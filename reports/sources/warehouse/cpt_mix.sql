-- Charge lines per practice × service month × CPT code.
select
    practice_id,
    strftime(service_month, '%Y-%m') as month_key,
    cpt,
    count(*) as lines,
    sum(units) as units,
    sum(charge_amount) as charges
from marts.claim_lines
group by all
