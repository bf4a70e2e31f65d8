-- One row per payment posted in the PM (the books), with the claim it was applied to. A negative patient payment
-- is a refund; a negative payer payment is a takeback (reversal or overpayment recovery). On DuckDB a daily build
-- reads only the claims its inputs logged (macros/claim_log_incremental.sql).
{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_claim_ledger': 'claim_id', 'int_claims': 'claim_id'},
) }}
with

ledger as (

    select * from {{ ref('int_claim_ledger') }} as ledger_in
    where {{ rcm_claim_log_scope('ledger_in') }}
        and event_type in ('payer_payment', 'patient_payment', 'refund')

),

claims as (

    select * from {{ ref('int_claims') }} as claims_in
    where {{ rcm_claim_log_scope('claims_in') }}

)

select
    ledger.practice_id,
    ledger.source_id as payment_id,
    ledger.claim_id,
    ledger.payer_id,
    ledger.event_type as payment_kind,
    case when ledger.event_type = 'payer_payment' then 'payer' else 'patient' end as payment_source,
    ledger.payment_method,
    coalesce(ledger.is_time_of_service, false) as is_time_of_service,
    ledger.payment_date,
    ledger.event_date as posted_date,
    {{ rcm_month_start('ledger.event_date') }} as posted_month,
    cast(ledger.amount as decimal(18, 2)) as amount,
    claims.provider_id,
    claims.location_id,
    claims.payer_id as claim_payer_id,
    claims.service_date as claim_service_date,
    claims.first_submitted_date as claim_first_submitted_date
from ledger
left join claims
    on claims.practice_id = ledger.practice_id
    and claims.claim_id = ledger.claim_id
