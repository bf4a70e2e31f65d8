-- Claim-level A/R at each month end: the claims behind the A/R headlines (claim number, never the patient).
select
    practice_id,
    strftime(snapshot_month, '%Y-%m') as month_key,
    claim_id,
    coalesce(current_payer_id, '(none)') as payer_id,
    responsible_party,
    aging_bucket,
    age_from_service_days,
    service_date,
    balance,
    aging_bucket in ('91-120', '>120') as is_over_90
from marts.ar_snapshots
where is_month_end and balance <> 0
