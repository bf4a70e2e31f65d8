-- A/R at each month end by responsible party, payer, rendering provider, location and aging bucket (age from the
-- date of service).
select
    practice_id,
    strftime(snapshot_month, '%Y-%m') as month_key,
    responsible_party,
    coalesce(current_payer_id, '(none)') as payer_id,
    coalesce(provider_id, '(none)') as provider_id,
    coalesce(location_id, '(none)') as location_id,
    aging_bucket,
    case aging_bucket when '0-30' then 1 when '31-60' then 2 when '61-90' then 3 when '91-120' then 4 else 5 end
        as bucket_sort,
    count(*) as claims,
    sum(balance) as balance
from marts.ar_snapshots
where is_month_end
group by all
