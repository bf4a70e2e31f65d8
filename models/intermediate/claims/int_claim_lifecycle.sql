{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_claims': 'claim_id', 'int_claim_ledger': 'claim_id',
        'int_remittance_lines': 'patient_control_number'},
) }}

-- One row per PM claim: a date for each lifecycle stage (from the ledger's events) and its money to date. The
-- claims mart publishes it; intermediate models read it here (marts are read by marts and reports only).
with

claims as (

    -- on DuckDB a daily build reads only the claims its inputs logged (macros/claim_log_incremental.sql)
    select * from {{ ref('int_claims') }} as claims_in
    where {{ rcm_claim_log_scope('claims_in') }}

),

ledger as (

    select * from {{ ref('int_claim_ledger') }} as ledger_in
    where {{ rcm_claim_log_scope('ledger_in') }}

),

events as (

    select
        practice_id,
        claim_id,
        min(case when event_type = 'rejected' then event_date end) as first_rejected_date,
        cast(sum(case when event_type = 'rejected' then 1 else 0 end) as bigint) as rejection_count,
        min(case when event_type = 'accepted' then event_date end) as accepted_date,
        min(case when event_type in ('remitted', 'remittance_denied') then event_date end) as first_adjudicated_date,
        min(case when event_type = 'remittance_denied' then event_date end) as first_denied_date,
        min(case when event_type = 'payer_payment' and amount > 0 then event_date end) as first_payer_payment_date,
        -- the last transfer to the patient: from the secondary when the claim has one
        max(case when event_type = 'transfer_to_patient' then event_date end) as transferred_to_patient_date,
        min(case when event_type = 'transfer_to_secondary' then event_date end) as transferred_to_secondary_date,
        max(case when event_type = 'transfer_to_secondary' then payer_id end) as secondary_payer_id,
        max(case when is_monetary then event_date end) as last_posting_date,
        sum(case when event_type = 'payer_payment' then amount else 0 end) as payer_payments,
        sum(case when event_type in ('patient_payment', 'refund') then amount else 0 end) as patient_payments,
        sum(case when event_type = 'refund' then -amount else 0 end) as refunds,
        sum(case when event_type = 'adjustment' and is_contractual then amount else 0 end) as contractual_adjustments,
        sum(case when event_type = 'adjustment' and not is_contractual then amount else 0 end) as other_adjustments,
        sum(balance_effect) as balance
    from ledger
    group by practice_id, claim_id

),

received as (

    select practice_id, patient_control_number as claim_id, min(received_date) as received_by_payer_date
    from {{ ref('int_remittance_lines') }} as remittance_lines_in
    where {{ rcm_claim_log_scope('remittance_lines_in', 'patient_control_number') }}
    group by practice_id, patient_control_number

)

select
    claims.practice_id,
    claims.claim_id,
    claims.account_ref,
    claims.provider_id,
    claims.location_id,
    claims.payer_id,
    claims.plan_id,
    claims.payer_type,
    claims.is_self_pay,
    cast(claims.line_count as bigint) as line_count,
    claims.service_date,
    {{ rcm_month_start('claims.service_date') }} as service_month,
    claims.created_date,
    claims.first_submitted_date,
    claims.last_submitted_date,
    cast(claims.resubmission_count as integer) as resubmission_count,
    events.first_rejected_date,
    coalesce(events.rejection_count, 0) as rejection_count,
    events.accepted_date,
    received.received_by_payer_date,
    events.first_adjudicated_date,
    events.first_denied_date,
    events.first_payer_payment_date,
    -- days to pay: first submission to the first payer payment posted (the payer scorecards and pages read it)
    case
        when events.first_payer_payment_date is not null and claims.first_submitted_date is not null
            then cast({{ dbt.datediff('claims.first_submitted_date', 'events.first_payer_payment_date', 'day') }} as integer)
    end as days_to_pay,
    events.transferred_to_secondary_date,
    events.secondary_payer_id,
    events.transferred_to_patient_date,
    case when events.balance = 0 then events.last_posting_date end as closed_date,
    case
        when events.balance = 0 then 'closed'
        when events.balance < 0 then 'credit_balance'
        when claims.is_self_pay then 'patient_balance'
        when events.transferred_to_secondary_date > events.transferred_to_patient_date then 'with_secondary'
        when events.transferred_to_secondary_date is not null and events.transferred_to_patient_date is null
            then 'with_secondary'
        when events.transferred_to_patient_date is not null then 'patient_balance'
        when events.first_denied_date is not null then 'denied'
        when events.first_adjudicated_date is not null then 'adjudicated'
        when events.accepted_date is not null then 'accepted'
        when claims.first_submitted_date is not null then 'submitted'
        else 'created'
    end as status,
    cast(claims.charge_amount as decimal(18, 2)) as charge_amount,
    cast(events.payer_payments as decimal(18, 2)) as payer_payments,
    cast(events.patient_payments as decimal(18, 2)) as patient_payments,
    cast(events.refunds as decimal(18, 2)) as refunds,
    cast(events.contractual_adjustments as decimal(18, 2)) as contractual_adjustments,
    cast(events.other_adjustments as decimal(18, 2)) as other_adjustments,
    cast(events.balance as decimal(18, 2)) as balance,
    claims.has_mixed_line_attributes
from claims
inner join events
    on events.practice_id = claims.practice_id
    and events.claim_id = claims.claim_id
left join received
    on received.practice_id = claims.practice_id
    and received.claim_id = claims.claim_id
