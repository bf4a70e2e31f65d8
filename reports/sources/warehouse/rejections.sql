-- Every rejection event with the 2-business-day SLA (kpi_targets) and whether it was met.
select
    practice_id,
    rejection_id,
    claim_id,
    payer_id,
    provider_id,
    service_date,
    rejected_by,
    evidence,
    rejection_date,
    strftime(rejection_month, '%Y-%m') as month_key,
    category_code,
    reason_code,
    reason_text,
    charge_amount,
    worked_date,
    business_days_to_work,
    sla_business_days,
    is_sla_met,
    days_from_service_to_acceptance
from marts.rejections
