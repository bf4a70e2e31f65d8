-- A/R at the practice's as-of date (its latest posting or service date) by who owes it and age.
select
    practice_id,
    snapshot_date,
    responsible_party,
    coalesce(current_payer_id, '(none)') as payer_id,
    aging_bucket,
    case aging_bucket when '0-30' then 1 when '31-60' then 2 when '61-90' then 3 when '91-120' then 4 else 5 end
        as bucket_sort,
    count(*) as claims,
    sum(balance) as balance
from marts.ar_snapshots
where is_as_of_date
group by all
