-- Open claims more than 90 days from the date of service at the latest snapshot: the follow-up list, by balance.
select
    practice_id,
    snapshot_date,
    claim_id,
    responsible_party,
    current_payer_id as payer_id,
    payer_type,
    provider_id,
    location_id,
    service_date,
    first_submitted_date,
    age_from_service_days,
    aging_bucket,
    balance
from marts.ar_snapshots
where is_as_of_date
  and age_from_service_days > 90
  and balance <> 0
