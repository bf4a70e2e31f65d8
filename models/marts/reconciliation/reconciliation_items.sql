-- Every remitted, posted and deposited dollar as one item with a status: 'matched' or a named exception.
--   bank:    each 835 payment (BPR02) against the deposit matched to it (int_remittance_deposit_matches), and
--            each payer deposit nothing matched;
--   posting: each claim of each 835 payment (Σ CLP04) against the PM payer payments posted with its trace number
--            for that claim, each PLB item (interest, recoupment, forwarding balance), what BPR02 holds beyond
--            them (an unbalanced 835), and PM payer payments no remittance explains;
--   patient: the PM's patient receipts of the days a patient deposit covers (the days since the one before)
--            against that day's patient deposits.
-- remitted_amount sums to Σ BPR02 within the bank items and again within the posting items; posted_amount and
-- deposited_amount sum to every PM payment and every bank deposit.
with

remittances as {{ rcm_inline() }} (

    select * from {{ ref('int_reconciliation_remittances') }}

),

deposit_matches as {{ rcm_inline() }} (

    select * from {{ ref('int_remittance_deposit_matches') }}

),

deposits as (

    select
        *,
        deposit_type in ({% for t in var('patient_deposit_types') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})
            as is_patient_deposit
    from {{ ref('stg_pm__bank_deposits') }}

),

pm_payments as {{ rcm_inline() }} (

    select * from {{ ref('stg_pm__payments') }}

),

era_claims as (

    select
        remittances.remittance_id,
        era_claims.patient_control_number as claim_id,
        sum(era_claims.paid_amount) as remitted_amount
    from {{ ref('stg_era__claims') }} as era_claims
    inner join remittances
        on remittances.practice_id = era_claims.practice_id
        and remittances.file_id = era_claims.file_id
        and remittances.transaction_control_number = era_claims.transaction_control_number
    group by remittances.remittance_id, era_claims.patient_control_number

),

plb_items as (

    select
        remittances.remittance_id,
        plb.segment_no,
        plb.pair_index,
        plb.reason_code,
        plb.reference_id,
        plb.amount
    from {{ ref('stg_era__provider_adjustments') }} as plb
    inner join remittances
        on remittances.practice_id = plb.practice_id
        and remittances.file_id = plb.file_id
        and remittances.transaction_control_number = plb.transaction_control_number

),

payer_postings as (

    select
        practice_id,
        reference_number,
        payer_id,
        claim_id,
        sum(amount) as posted_amount,
        max(posted_date) as posted_date
    from pm_payments
    where payment_source = 'payer'
    group by practice_id, reference_number, payer_id, claim_id

),

postings_by_remittance as (

    -- a posting belongs to the 835 payment whose trace it quotes, of its payer when the EDI id maps to one
    -- (an inner join and the postings no payment claims, rather than one left join: the `or` in a left join's
    -- condition makes DuckDB compare every posting with every payment)
    select
        remittances.remittance_id,
        payer_postings.*
    from payer_postings
    inner join remittances
        on remittances.practice_id = payer_postings.practice_id
        and remittances.trace_number = payer_postings.reference_number
    where remittances.payer_id is null or remittances.payer_id = payer_postings.payer_id

    union all

    select
        cast(null as {{ dbt.type_string() }}) as remittance_id,
        payer_postings.*
    from payer_postings
    left join (
        select distinct practice_id, trace_number from remittances where payer_id is null
    ) as traces_of_any_payer
        on traces_of_any_payer.practice_id = payer_postings.practice_id
        and traces_of_any_payer.trace_number = payer_postings.reference_number
    left join (
        select distinct practice_id, trace_number, payer_id from remittances where payer_id is not null
    ) as traces_of_payer
        on traces_of_payer.practice_id = payer_postings.practice_id
        and traces_of_payer.trace_number = payer_postings.reference_number
        and traces_of_payer.payer_id = payer_postings.payer_id
    where traces_of_any_payer.trace_number is null and traces_of_payer.trace_number is null

),

unbalanced_remittances as (

    -- what BPR02 holds beyond Σ CLP04 − Σ PLB: zero for a balanced 835 (the parser flags the others), and what is
    -- left when claims were removed from the warehouse (rcm forget-patient)
    select
        remittances.remittance_id,
        remittances.payment_amount
            - coalesce(claim_totals.claims_paid, 0)
            + coalesce(plb_totals.plb_total, 0) as unbalanced_amount
    from remittances
    left join (
        select remittance_id, sum(remitted_amount) as claims_paid from era_claims group by remittance_id
    ) as claim_totals
        on claim_totals.remittance_id = remittances.remittance_id
    left join (
        select remittance_id, sum(amount) as plb_total from plb_items group by remittance_id
    ) as plb_totals
        on plb_totals.remittance_id = remittances.remittance_id

),

posted_remittances as (

    select remittance_id, count(*) as posting_count
    from postings_by_remittance
    where remittance_id is not null
    group by remittance_id

),

unposted_remittances as (

    -- 835 payments with money for claims and not one PM posting quoting their trace: every claim of it is
    -- unposted, a $0 denial included
    select era_claims.remittance_id
    from era_claims
    left join posted_remittances
        on posted_remittances.remittance_id = era_claims.remittance_id
    where posted_remittances.remittance_id is null
    group by era_claims.remittance_id
    having sum(case when era_claims.remitted_amount <> 0 then 1 else 0 end) > 0

),

claim_items as (

    select
        coalesce(era_claims.remittance_id, postings.remittance_id) as remittance_id,
        coalesce(era_claims.claim_id, postings.claim_id) as claim_id,
        era_claims.remittance_id is not null as is_remitted_claim,
        coalesce(era_claims.remitted_amount, 0) as remitted_amount,
        coalesce(postings.posted_amount, 0) as posted_amount,
        postings.posted_date
    from era_claims
    full outer join (select * from postings_by_remittance where remittance_id is not null) as postings
        on postings.remittance_id = era_claims.remittance_id
        and postings.claim_id = era_claims.claim_id

),

plb_claims as (

    -- a PLB item names the claim it recovers in its reference (PLB03-2), starting with the patient control number
    select distinct claim_items.remittance_id, claim_items.claim_id
    from claim_items
    inner join plb_items
        on plb_items.remittance_id = claim_items.remittance_id
        and plb_items.reference_id like {{ dbt.concat(['claim_items.claim_id', "'%'"]) }}
    where not claim_items.is_remitted_claim

),

posting_side as (

    select
        remittances.practice_id,
        {{ dbt.concat(["'posting|'", 'remittances.remittance_id', "'|'", 'claim_items.claim_id']) }} as reconciliation_item_id,
        'posting' as reconciliation,
        case
            when not claim_items.is_remitted_claim and plb_claims.claim_id is not null then 'posted_for_plb'
            when not claim_items.is_remitted_claim then 'posted_without_remittance'
            when unposted_remittances.remittance_id is not null
                and remittances.remittance_date > {{ rcm_add_days('remittances.as_of_date', -var('posting_grace_days')) }}
                then 'era_posting_pending'
            when unposted_remittances.remittance_id is not null then 'era_not_posted'
            when claim_items.remitted_amount = claim_items.posted_amount then 'matched'
            else 'posted_differs_from_remitted'
        end as status,
        remittances.remittance_id,
        remittances.trace_number,
        remittances.era_payer_id,
        remittances.payer_id,
        claim_items.claim_id,
        cast(null as {{ dbt.type_string() }}) as plb_reason_code,
        cast(null as {{ dbt.type_string() }}) as plb_reference_id,
        cast(null as {{ dbt.type_string() }}) as deposit_transaction_id,
        cast(null as {{ dbt.type_string() }}) as deposit_match_method,
        remittances.payment_date,
        claim_items.posted_date,
        cast(null as date) as deposit_date,
        remittances.remittance_date as item_date,
        claim_items.remitted_amount,
        claim_items.posted_amount,
        cast(0 as decimal(18, 2)) as deposited_amount
    from claim_items
    inner join remittances
        on remittances.remittance_id = claim_items.remittance_id
    left join unposted_remittances
        on unposted_remittances.remittance_id = claim_items.remittance_id
    left join plb_claims
        on plb_claims.remittance_id = claim_items.remittance_id
        and plb_claims.claim_id = claim_items.claim_id

    union all

    select
        remittances.practice_id,
        {{ dbt.concat(["'plb|'", 'remittances.remittance_id', "'|'", 'cast(plb_items.segment_no as ' ~ dbt.type_string() ~ ')', "'|'", 'cast(plb_items.pair_index as ' ~ dbt.type_string() ~ ')']) }},
        'posting',
        case
            when plb_items.reason_code = 'L6' then 'plb_interest'
            when plb_items.reason_code in ('WO', '72') then 'plb_recoupment'
            when plb_items.reason_code = 'FB' then 'plb_forwarding_balance'
            else 'plb_other'
        end,
        remittances.remittance_id,
        remittances.trace_number,
        remittances.era_payer_id,
        remittances.payer_id,
        cast(null as {{ dbt.type_string() }}),
        plb_items.reason_code,
        plb_items.reference_id,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        remittances.payment_date,
        cast(null as date),
        cast(null as date),
        remittances.remittance_date,
        -- a positive PLB amount reduces the payment
        -plb_items.amount,
        cast(0 as decimal(18, 2)),
        cast(0 as decimal(18, 2))
    from plb_items
    inner join remittances
        on remittances.remittance_id = plb_items.remittance_id

    union all

    select
        remittances.practice_id,
        {{ dbt.concat(["'unbalanced|'", 'remittances.remittance_id']) }},
        'posting',
        'remittance_unbalanced',
        remittances.remittance_id,
        remittances.trace_number,
        remittances.era_payer_id,
        remittances.payer_id,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        remittances.payment_date,
        cast(null as date),
        cast(null as date),
        remittances.remittance_date,
        unbalanced_remittances.unbalanced_amount,
        cast(0 as decimal(18, 2)),
        cast(0 as decimal(18, 2))
    from unbalanced_remittances
    inner join remittances
        on remittances.remittance_id = unbalanced_remittances.remittance_id
    where unbalanced_remittances.unbalanced_amount <> 0

    union all

    select
        practice_id,
        {{ dbt.concat(["'posting|'", 'practice_id', "'|'", "coalesce(reference_number, '')", "'|'", "coalesce(payer_id, '')", "'|'", 'claim_id']) }},
        'posting',
        'posted_without_remittance',
        cast(null as {{ dbt.type_string() }}),
        reference_number,
        cast(null as {{ dbt.type_string() }}),
        payer_id,
        claim_id,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as date),
        posted_date,
        cast(null as date),
        posted_date,
        cast(0 as decimal(18, 2)),
        posted_amount,
        cast(0 as decimal(18, 2))
    from postings_by_remittance
    where remittance_id is null

),

bank_side as (

    select
        remittances.practice_id,
        {{ dbt.concat(["'bank|'", 'remittances.remittance_id']) }} as reconciliation_item_id,
        'bank' as reconciliation,
        case
            when deposits.transaction_id is not null and deposits.amount = remittances.payment_amount then 'matched'
            when deposits.transaction_id is not null then 'deposit_amount_differs'
            when remittances.payment_amount <= 0 then 'no_deposit_expected'
            when remittances.remittance_date > {{ rcm_add_days('remittances.as_of_date', -var('deposit_match_window_days')) }}
                then 'deposit_in_transit'
            else 'remittance_without_deposit'
        end as status,
        remittances.remittance_id,
        remittances.trace_number,
        remittances.era_payer_id,
        remittances.payer_id,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_string() }}) as plb_reason_code,
        cast(null as {{ dbt.type_string() }}) as plb_reference_id,
        deposits.transaction_id as deposit_transaction_id,
        deposit_matches.match_method as deposit_match_method,
        remittances.payment_date,
        cast(null as date) as posted_date,
        deposits.posting_date as deposit_date,
        remittances.remittance_date as item_date,
        remittances.payment_amount as remitted_amount,
        cast(0 as decimal(18, 2)) as posted_amount,
        coalesce(deposits.amount, 0) as deposited_amount
    from remittances
    left join deposit_matches
        on deposit_matches.practice_id = remittances.practice_id
        and deposit_matches.remittance_id = remittances.remittance_id
    left join deposits
        on deposits.practice_id = deposit_matches.practice_id
        and deposits.transaction_id = deposit_matches.transaction_id

    union all

    select
        deposits.practice_id,
        {{ dbt.concat(["'deposit|'", 'deposits.practice_id', "'|'", 'deposits.transaction_id']) }},
        'bank',
        'deposit_without_remittance',
        cast(null as {{ dbt.type_string() }}),
        deposits.reference,
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        cast(null as {{ dbt.type_string() }}),
        deposits.transaction_id,
        cast(null as {{ dbt.type_string() }}),
        cast(null as date),
        cast(null as date),
        deposits.posting_date,
        deposits.posting_date,
        cast(0 as decimal(18, 2)),
        cast(0 as decimal(18, 2)),
        deposits.amount
    from deposits
    left join deposit_matches
        on deposit_matches.practice_id = deposits.practice_id
        and deposit_matches.transaction_id = deposits.transaction_id
    where deposit_matches.transaction_id is null
        and not deposits.is_patient_deposit

),

patient_receipt_days as (

    -- refunds paid by check are not deposits; card refunds are netted in the card settlement
    select practice_id, posted_date, sum(amount) as posted_amount
    from pm_payments
    where payment_source = 'patient'
        and (amount > 0 or upper(payment_method) = 'CARD')
    group by practice_id, posted_date

),

patient_deposit_days as (

    select practice_id, posting_date as deposit_date, sum(amount) as deposited_amount
    from deposits
    where is_patient_deposit
    group by practice_id, posting_date

),

receipts_to_deposit_day as (

    select
        patient_receipt_days.practice_id,
        patient_receipt_days.posted_date,
        patient_receipt_days.posted_amount,
        min(patient_deposit_days.deposit_date) as deposit_date
    from patient_receipt_days
    left join patient_deposit_days
        on patient_deposit_days.practice_id = patient_receipt_days.practice_id
        and patient_deposit_days.deposit_date > patient_receipt_days.posted_date
    group by patient_receipt_days.practice_id, patient_receipt_days.posted_date, patient_receipt_days.posted_amount

),

receipts_by_deposit_day as (

    select practice_id, deposit_date, sum(posted_amount) as posted_amount, max(posted_date) as posted_date
    from receipts_to_deposit_day
    where deposit_date is not null
    group by practice_id, deposit_date

),

patient_side as (

    select
        coalesce(patient_deposit_days.practice_id, receipts.practice_id) as practice_id,
        {{ dbt.concat(["'patient|'", 'coalesce(patient_deposit_days.practice_id, receipts.practice_id)', "'|'", 'cast(coalesce(patient_deposit_days.deposit_date, receipts.deposit_date) as ' ~ dbt.type_string() ~ ')']) }}
            as reconciliation_item_id,
        'patient' as reconciliation,
        case
            when coalesce(patient_deposit_days.deposited_amount, 0) = coalesce(receipts.posted_amount, 0) then 'matched'
            else 'patient_deposit_differs'
        end as status,
        receipts.posted_date,
        coalesce(patient_deposit_days.deposit_date, receipts.deposit_date) as deposit_date,
        coalesce(patient_deposit_days.deposit_date, receipts.deposit_date) as item_date,
        coalesce(receipts.posted_amount, 0) as posted_amount,
        coalesce(patient_deposit_days.deposited_amount, 0) as deposited_amount
    from patient_deposit_days
    full outer join receipts_by_deposit_day as receipts
        on receipts.practice_id = patient_deposit_days.practice_id
        and receipts.deposit_date = patient_deposit_days.deposit_date

    union all

    select
        practice_id,
        {{ dbt.concat(["'patient|'", 'practice_id', "'|pending|'", 'cast(posted_date as ' ~ dbt.type_string() ~ ')']) }},
        'patient',
        'patient_deposit_pending',
        posted_date,
        cast(null as date),
        posted_date,
        posted_amount,
        cast(0 as decimal(18, 2))
    from receipts_to_deposit_day
    where deposit_date is null

),

items as (

    select * from posting_side
    union all
    select * from bank_side
    union all
    select
        practice_id,
        reconciliation_item_id,
        reconciliation,
        status,
        cast(null as {{ dbt.type_string() }}) as remittance_id,
        cast(null as {{ dbt.type_string() }}) as trace_number,
        cast(null as {{ dbt.type_string() }}) as era_payer_id,
        cast(null as {{ dbt.type_string() }}) as payer_id,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        cast(null as {{ dbt.type_string() }}) as plb_reason_code,
        cast(null as {{ dbt.type_string() }}) as plb_reference_id,
        cast(null as {{ dbt.type_string() }}) as deposit_transaction_id,
        cast(null as {{ dbt.type_string() }}) as deposit_match_method,
        cast(null as date) as payment_date,
        posted_date,
        deposit_date,
        item_date,
        cast(0 as decimal(18, 2)) as remitted_amount,
        posted_amount,
        deposited_amount
    from patient_side

)

select
    practice_id,
    reconciliation_item_id,
    reconciliation,
    status,
    status not in ('matched', 'no_deposit_expected') as is_exception,
    {{ rcm_month_start('item_date') }} as month,
    remittance_id,
    trace_number,
    era_payer_id,
    payer_id,
    claim_id,
    plb_reason_code,
    plb_reference_id,
    deposit_transaction_id,
    deposit_match_method,
    payment_date,
    posted_date,
    deposit_date,
    cast(remitted_amount as decimal(18, 2)) as remitted_amount,
    cast(posted_amount as decimal(18, 2)) as posted_amount,
    cast(deposited_amount as decimal(18, 2)) as deposited_amount,
    cast(
        case
            when reconciliation = 'bank' and remittance_id is not null then deposited_amount - remitted_amount
            when reconciliation = 'bank' then deposited_amount
            when reconciliation = 'patient' then deposited_amount - posted_amount
            else posted_amount - remitted_amount
        end as decimal(18, 2)
    ) as difference_amount
from items
