-- One row per claim rejection (999 set via the clearinghouse report, 277CA, clearinghouse edits), with when
-- it was worked and whether that met the practice's SLA in business days (int_rejections).
select
    practice_id,
    rejection_id,
    claim_id,
    payer_id,
    payer_type,
    provider_id,
    location_id,
    service_date,
    rejected_by,
    evidence,
    rejection_date,
    {{ rcm_month_start('rejection_date') }} as rejection_month,
    category_code,
    reason_code,
    entity_code,
    reason_text,
    cast(charge_amount as decimal(18, 2)) as charge_amount,
    worked_date,
    cast(business_days_to_work as integer) as business_days_to_work,
    cast(sla_business_days as integer) as sla_business_days,
    is_sla_met,
    cast(days_from_service_to_acceptance as integer) as days_from_service_to_acceptance
from {{ ref('int_rejections') }}
