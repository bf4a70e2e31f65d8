{{ config(
    materialized=('claim_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={
        'int_claim_lines': 'claim_id',
        'int_claims': 'claim_id',
        'stg_pm__payments': 'claim_id',
        'stg_pm__adjustments': 'claim_id',
        'stg_clearinghouse__rejections': 'claim_id',
        'stg_clearinghouse__277ca_statuses': 'patient_control_number',
        'int_remittance_lines': 'patient_control_number',
        'int_claim_secondary_payers': 'claim_id',
        'stg_pm__transfers': 'claim_id',
    },
    global_inputs=['adjustment_types'],
) }}

-- On DuckDB a daily run recomputes only the claims whose inputs changed (macros/claim_incremental.sql,
-- docs/models.md): every event below is its claim's, read from its claim's rows alone, which is what makes that
-- exact. The 277CA's and the 835's claim is their patient control number, as the events below take it.

-- The dated ledger: every event of every claim with its date, the single source of every balance.
-- balance_effect is what the event does to the amount owed: + charges and refunds, − payments and adjustments,
-- 0 for events that only move the claim along (created, submitted, rejected, accepted, remitted, transfers of
-- responsibility: primary → secondary → patient, inferred from the postings, or as the PM posted them).
-- Monetary events are the PM's postings (the books); 835 remittances appear as events without a balance
-- effect, their differences from the postings belong to reconciliation.
-- The PM posts payments to the claim, not the line: line_number is null for claim-level events.
with

claim_lines as (

    select * from {{ ref('int_claim_lines') }} as t
    where {{ rcm_claim_scope('t') }}

),

claims as {{ rcm_inline() }} (

    -- the columns used, named: an inlined CTE read more than once is read whole otherwise
    select
        practice_id, claim_id, payer_id, is_self_pay, created_date, first_submitted_date, last_submitted_date,
        resubmission_count
    from {{ ref('int_claims') }} as t
    where {{ rcm_claim_scope('t') }}

),

payments as (

    select * from {{ ref('stg_pm__payments') }} as t
    where {{ rcm_claim_scope('t') }}

),

adjustments as (

    select * from {{ ref('stg_pm__adjustments') }} as t
    where {{ rcm_claim_scope('t') }}

),

adjustment_types as (

    select * from {{ ref('adjustment_types') }}

),

rejections as (

    select * from {{ ref('stg_clearinghouse__rejections') }} as t
    where {{ rcm_claim_scope('t') }}

),

acceptances as (

    select * from {{ ref('stg_clearinghouse__277ca_statuses') }} as t
    where status_level = 'claim' and is_acceptance and status_date is not null
        and {{ rcm_claim_scope('t', 'patient_control_number') }}

),

remittances as (

    select * from {{ ref('int_remittance_lines') }} as t
    where {{ rcm_claim_scope('t', 'patient_control_number') }}

),

secondary_payers as {{ rcm_inline() }} (

    select * from {{ ref('int_claim_secondary_payers') }} as t
    where {{ rcm_claim_scope('t') }}

),

pm_transfers as (

    select * from {{ ref('stg_pm__transfers') }} as t
    where claim_id is not null and {{ rcm_claim_scope('t') }}

),

charge_events as (

    select
        practice_id,
        claim_id,
        line_number,
        service_date as event_date,
        'charge' as event_type,
        {{ dbt.concat(['claim_id', "'-'", 'cast(line_number as ' ~ dbt.type_string() ~ ')']) }} as source_id,
        payer_id,
        charge_amount as amount,
        charge_amount as balance_effect,
        cast(null as date) as payment_date,
        cast(null as {{ dbt.type_string() }}) as payment_method,
        cast(null as boolean) as is_time_of_service,
        cast(null as {{ dbt.type_string() }}) as adjustment_type,
        cast(null as {{ dbt.type_string() }}) as adjustment_class,
        cast(null as boolean) as is_contractual,
        cast(null as {{ dbt.type_string() }}) as group_code,
        cast(null as {{ dbt.type_string() }}) as reason_code
    from claim_lines

),

payment_events as (

    select
        practice_id,
        claim_id,
        cast(null as integer) as line_number,
        posted_date as event_date,
        case
            when payment_source = 'payer' then 'payer_payment'
            -- a negative patient payment gives money back (a credit balance refunded)
            when amount < 0 then 'refund'
            else 'patient_payment'
        end as event_type,
        payment_id as source_id,
        payer_id,
        amount,
        -amount as balance_effect,
        payment_date,
        payment_method,
        is_time_of_service,
        cast(null as {{ dbt.type_string() }}) as adjustment_type,
        cast(null as {{ dbt.type_string() }}) as adjustment_class,
        cast(null as boolean) as is_contractual,
        cast(null as {{ dbt.type_string() }}) as group_code,
        cast(null as {{ dbt.type_string() }}) as reason_code
    from payments

),

adjustment_events as (

    select
        adjustments.practice_id,
        adjustments.claim_id,
        cast(adjustments.line_number as integer) as line_number,
        adjustments.posted_date as event_date,
        'adjustment' as event_type,
        adjustments.adjustment_id as source_id,
        adjustments.payer_id,
        adjustments.amount,
        -adjustments.amount as balance_effect,
        cast(null as date) as payment_date,
        cast(null as {{ dbt.type_string() }}) as payment_method,
        cast(null as boolean) as is_time_of_service,
        adjustments.adjustment_type,
        -- a type the seed does not know is contractual only when the CAS code says so (CO-45, CO-253)
        coalesce(
            adjustment_types.adjustment_class,
            case when adjustments.group_code = 'CO' and adjustments.reason_code in ('45', '253') then 'contractual' else 'other' end
        ) as adjustment_class,
        coalesce(
            adjustment_types.is_contractual,
            adjustments.group_code = 'CO' and adjustments.reason_code in ('45', '253')
        ) as is_contractual,
        adjustments.group_code,
        adjustments.reason_code
    from adjustments
    left join adjustment_types
        on adjustment_types.adjustment_type = adjustments.adjustment_type

),

monetary_events as (

    select * from charge_events
    union all
    select * from payment_events
    union all
    select * from adjustment_events

),

first_adjudication as (

    -- the payer billed has adjudicated once its payment or contractual adjustment is posted; what is left is the
    -- patient's, or the secondary's
    select
        monetary_events.practice_id,
        monetary_events.claim_id,
        min(monetary_events.event_date) as transfer_date
    from monetary_events
    inner join claims
        on claims.practice_id = monetary_events.practice_id
        and claims.claim_id = monetary_events.claim_id
    where not claims.is_self_pay
        and (monetary_events.event_type = 'payer_payment' or monetary_events.is_contractual)
        and coalesce(monetary_events.payer_id, claims.payer_id) = claims.payer_id
    group by monetary_events.practice_id, monetary_events.claim_id

),

to_secondary as (

    -- a crossover takes effect once the primary's adjudication is posted as well (both are needed: a date that
    -- depended on a posting still to come would change as files arrive); otherwise, or earlier, the secondary's
    -- first remittance or payment shows it was billed
    select
        practice_id,
        claim_id,
        case
            when crossover_start is not null and (secondary_first_date is null or crossover_start <= secondary_first_date)
                then crossover_start
            else secondary_first_date
        end as transfer_date,
        case
            when crossover_start is not null and (secondary_first_date is null or crossover_start <= secondary_first_date)
                then crossover_payer_id
            else secondary_first_payer_id
        end as payer_id
    from (
        select
            secondary_payers.*,
            case
                when first_adjudication.transfer_date > secondary_payers.crossover_date then first_adjudication.transfer_date
                when first_adjudication.transfer_date is not null then secondary_payers.crossover_date
            end as crossover_start
        from secondary_payers
        left join first_adjudication
            on first_adjudication.practice_id = secondary_payers.practice_id
            and first_adjudication.claim_id = secondary_payers.claim_id
    ) as secondary_starts

),

transfers as (

    -- the primary hands the balance to the patient, unless to the secondary that same day
    select
        first_adjudication.practice_id,
        first_adjudication.claim_id,
        first_adjudication.transfer_date,
        'transfer_to_patient' as event_type,
        first_adjudication.claim_id as source_id,
        claims.payer_id
    from first_adjudication
    inner join claims
        on claims.practice_id = first_adjudication.practice_id
        and claims.claim_id = first_adjudication.claim_id
    left join to_secondary
        on to_secondary.practice_id = first_adjudication.practice_id
        and to_secondary.claim_id = first_adjudication.claim_id
        and to_secondary.transfer_date = first_adjudication.transfer_date
    where to_secondary.claim_id is null

    union all

    select
        practice_id, claim_id, transfer_date, 'transfer_to_secondary',
        {{ dbt.concat(['claim_id', "'|secondary'"]) }}, payer_id
    from to_secondary
    where transfer_date is not null

    union all

    -- the secondary has adjudicated: what is left is the patient's
    select
        practice_id, claim_id, secondary_adjudicated_date, 'transfer_to_patient',
        {{ dbt.concat(['claim_id', "'|secondary'"]) }}, coalesce(secondary_first_payer_id, crossover_payer_id)
    from secondary_payers
    where secondary_adjudicated_date is not null

),

pm_transfer_events as (

    -- a balance transfer the PM posted: who owes moves, the balance does not. Without a to_responsibility the
    -- sign says the direction (a negative amount reverses a transfer to the patient); to a payer other than the
    -- claim's own it goes to the secondary.
    select
        pm_transfers.practice_id,
        pm_transfers.claim_id,
        cast(pm_transfers.line_number as integer) as line_number,
        pm_transfers.posted_date as event_date,
        case
            when case
                when lower(pm_transfers.to_responsibility) = 'patient' then pm_transfers.amount >= 0
                when pm_transfers.to_responsibility is not null then pm_transfers.amount < 0
                when lower(pm_transfers.from_responsibility) = 'patient' then pm_transfers.amount < 0
                else pm_transfers.amount >= 0
            end then 'transfer_to_patient'
            when pm_transfers.payer_id is not null and pm_transfers.payer_id <> claims.payer_id then 'transfer_to_secondary'
            else 'transfer_to_payer'
        end as event_type,
        pm_transfers.transfer_id as source_id,
        pm_transfers.payer_id,
        abs(pm_transfers.amount) as amount
    from pm_transfers
    left join claims
        on claims.practice_id = pm_transfers.practice_id
        and claims.claim_id = pm_transfers.claim_id

),

inferred_transfers as (

    -- a claim whose transfers the PM posted follows those instead
    select transfers.*
    from transfers
    left join (select distinct practice_id, claim_id from pm_transfer_events) as posted
        on posted.practice_id = transfers.practice_id
        and posted.claim_id = transfers.claim_id
    where posted.claim_id is null

),

transfer_events as (

    select
        transfers.practice_id,
        transfers.claim_id,
        cast(null as integer) as line_number,
        transfers.transfer_date as event_date,
        transfers.event_type,
        transfers.source_id,
        transfers.payer_id,
        -- the balance handed over at the end of that day (18 digits, as every amount here: a sum is 38 wide, and
        -- a wide amount costs every reader of the ledger's tens of millions of rows)
        cast(sum(monetary_events.balance_effect) as decimal(18, 2)) as amount,
        cast(0 as decimal(18, 2)) as balance_effect,
        cast(null as date) as payment_date,
        cast(null as {{ dbt.type_string() }}) as payment_method,
        cast(null as boolean) as is_time_of_service,
        cast(null as {{ dbt.type_string() }}) as adjustment_type,
        cast(null as {{ dbt.type_string() }}) as adjustment_class,
        cast(null as boolean) as is_contractual,
        cast(null as {{ dbt.type_string() }}) as group_code,
        cast(null as {{ dbt.type_string() }}) as reason_code
    from inferred_transfers as transfers
    inner join monetary_events
        on monetary_events.practice_id = transfers.practice_id
        and monetary_events.claim_id = transfers.claim_id
        and monetary_events.event_date <= transfers.transfer_date
    group by
        transfers.practice_id, transfers.claim_id, transfers.transfer_date, transfers.event_type, transfers.source_id,
        transfers.payer_id

    union all

    select
        practice_id,
        claim_id,
        line_number,
        event_date,
        event_type,
        source_id,
        payer_id,
        amount,
        cast(0 as decimal(18, 2)),
        cast(null as date),
        cast(null as {{ dbt.type_string() }}),
        cast(null as boolean),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as boolean),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }})
    from pm_transfer_events

),

status_events as (

    select practice_id, claim_id, created_date as event_date, 'created' as event_type, claim_id as source_id, payer_id
    from claims
    where created_date is not null

    union all

    select practice_id, claim_id, first_submitted_date, 'submitted', claim_id, payer_id
    from claims
    where first_submitted_date is not null

    union all

    select practice_id, claim_id, last_submitted_date, 'resubmitted', claim_id, payer_id
    from claims
    where resubmission_count > 0 and last_submitted_date is not null

    union all

    select
        practice_id, claim_id, rejection_date, 'rejected',
        {{ dbt.concat(['cast(file_id as ' ~ dbt.type_string() ~ ')', "'|'", 'cast(line_no as ' ~ dbt.type_string() ~ ')']) }},
        edi_payer_id
    from rejections

    union all

    select
        practice_id, patient_control_number, status_date, 'accepted',
        {{ dbt.concat(['cast(file_id as ' ~ dbt.type_string() ~ ')', "'|'", 'cast(segment_no as ' ~ dbt.type_string() ~ ')']) }},
        cast(null as {{ dbt.type_string() }})
    from acceptances

),

remittance_events as (

    select
        practice_id,
        patient_control_number as claim_id,
        cast(null as integer) as line_number,
        -- BPR16; a non-payment 835 may leave it empty, then the production date (DTM*405)
        coalesce(payment_date, production_date) as event_date,
        case
            when claim_role = 'reversal' then 'remittance_reversal'
            -- processed and forwarded (19–21) or as secondary (2, 3) with nothing paid is no denial
            when claim_status_code = '4' then 'remittance_denied'
            when sum(paid_amount) = 0 and claim_status_code not in ('2', '3', '19', '20', '21') then 'remittance_denied'
            else 'remitted'
        end as event_type,
        {{ dbt.concat(['cast(file_id as ' ~ dbt.type_string() ~ ')', "'|'", 'cast(claim_segment_no as ' ~ dbt.type_string() ~ ')']) }} as source_id,
        era_payer_id as payer_id,
        cast(sum(paid_amount) as decimal(18, 2)) as amount
    from remittances
    -- an 835 with neither date cannot be placed on the ledger's time line (int_remittance_lines keeps it)
    where coalesce(payment_date, production_date) is not null
    group by practice_id, patient_control_number, coalesce(payment_date, production_date), claim_role, claim_status_code, file_id, claim_segment_no, era_payer_id

),

ledger as (

    select * from monetary_events

    union all

    select * from transfer_events

    union all

    select
        practice_id, claim_id, cast(null as integer), event_date, event_type, source_id, payer_id,
        cast(0 as decimal(18, 2)), cast(0 as decimal(18, 2)),
        cast(null as date), cast(null as {{ dbt.type_string() }}), cast(null as boolean),
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}), cast(null as boolean),
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
    from status_events

    union all

    select
        practice_id, claim_id, line_number, event_date, event_type, source_id, payer_id,
        amount, cast(0 as decimal(18, 2)),
        event_date, cast(null as {{ dbt.type_string() }}), cast(null as boolean),
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }}), cast(null as boolean),
        cast(null as {{ dbt.type_string() }}), cast(null as {{ dbt.type_string() }})
    from remittance_events

)

-- An event's key is (practice_id, event_type, source_id); it is not concatenated into one text column, which cost
-- the write of a long string per event (docs/benchmarks.md).
select
    ledger.*,
    event_type in ('charge', 'payer_payment', 'patient_payment', 'refund', 'adjustment') as is_monetary
from ledger
