-- One row per adjustment posted in the PM, with its class (contractual or write-off) and, for CARCs the denial
-- map knows, its denial category.
{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_claim_ledger': 'claim_id', 'int_claims': 'claim_id'},
    global_inputs=['carc_denial_categories'],
) }}
-- On DuckDB a daily build reads only the claims its inputs logged (macros/claim_log_incremental.sql).
with

ledger as (

    select * from {{ ref('int_claim_ledger') }} as ledger_in
    where {{ rcm_claim_log_scope('ledger_in') }}
        and event_type = 'adjustment'

),

claims as (

    select * from {{ ref('int_claims') }} as claims_in
    where {{ rcm_claim_log_scope('claims_in') }}

),

carc_categories as (

    select * from {{ ref('carc_denial_categories') }}

)

select
    ledger.practice_id,
    ledger.source_id as adjustment_id,
    ledger.claim_id,
    ledger.line_number,
    ledger.payer_id,
    ledger.adjustment_type,
    ledger.adjustment_class,
    ledger.is_contractual,
    ledger.group_code,
    ledger.reason_code,
    carc_categories.denial_category,
    ledger.event_date as posted_date,
    {{ rcm_month_start('ledger.event_date') }} as posted_month,
    cast(ledger.amount as decimal(18, 2)) as amount,
    claims.provider_id,
    claims.location_id,
    claims.payer_id as claim_payer_id
from ledger
left join claims
    on claims.practice_id = ledger.practice_id
    and claims.claim_id = ledger.claim_id
left join carc_categories
    on carc_categories.carc = ledger.reason_code
