-- One row per PM claim: the drill-down lists (claim number and account reference, no patient identifiers).
select
    practice_id,
    claim_id,
    account_ref,
    payer_id,
    payer_type,
    provider_id,
    location_id,
    strftime(service_month, '%Y-%m') as service_month_key,
    service_date,
    first_submitted_date,
    first_payer_payment_date,
    status,
    charge_amount,
    payer_payments,
    patient_payments,
    contractual_adjustments,
    other_adjustments,
    refunds,
    balance
from marts.claims
