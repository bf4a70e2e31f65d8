-- Every rejection event with the 2-business-day SLA (kpi_targets) and whether it was met; the claim's account
-- reference from the claims mart (a claim the PM does not hold has none).
select
    r.practice_id,
    r.rejection_id,
    r.claim_id,
    c.account_ref,
    r.payer_id,
    r.provider_id,
    r.service_date,
    r.rejected_by,
    r.evidence,
    r.rejection_date,
    strftime(r.rejection_month, '%Y-%m') as month_key,
    r.category_code,
    r.reason_code,
    r.reason_text,
    r.charge_amount,
    r.worked_date,
    r.business_days_to_work,
    r.sla_business_days,
    r.is_sla_met,
    r.days_from_service_to_acceptance
from marts.rejections r
left join marts.claims c on c.practice_id = r.practice_id and c.claim_id = r.claim_id
