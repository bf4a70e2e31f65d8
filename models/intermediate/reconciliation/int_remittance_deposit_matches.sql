{{ config(materialized="table") }}

-- Each 835 payment matched to at most one bank deposit and each deposit to at most one payment: first by trace
-- number (the deposit's reference is the TRN02 the payer sends with the EFT or prints on the check), then among
-- the rest by exact amount with the deposit posted 0 to var deposit_match_window_days days after BPR16. Within
-- each rule the pair nearest in date wins on both sides.
with

remittances as {{ rcm_inline() }} (

    select * from {{ ref('int_reconciliation_remittances') }}
    where payment_amount > 0

),

deposits as {{ rcm_inline() }} (

    select * from {{ ref('stg_pm__bank_deposits') }}
    where deposit_type not in ({% for t in var('patient_deposit_types') %}'{{ t }}'{% if not loop.last %}, {% endif %}{% endfor %})

),

trace_candidates as (

    select
        remittances.practice_id,
        remittances.remittance_id,
        deposits.transaction_id,
        row_number() over (
            partition by remittances.practice_id, remittances.remittance_id
            order by abs({{ dbt.datediff('remittances.payment_date', 'deposits.posting_date', 'day') }}), deposits.transaction_id
        ) as remittance_rank,
        row_number() over (
            partition by deposits.practice_id, deposits.transaction_id
            order by abs({{ dbt.datediff('remittances.payment_date', 'deposits.posting_date', 'day') }}), remittances.remittance_id
        ) as deposit_rank
    from remittances
    inner join deposits
        on deposits.practice_id = remittances.practice_id
        and deposits.reference = remittances.trace_number

),

by_trace as (

    select practice_id, remittance_id, transaction_id, 'trace' as match_method
    from trace_candidates
    where remittance_rank = 1 and deposit_rank = 1

),

open_remittances as (

    select remittances.*
    from remittances
    left join by_trace
        on by_trace.practice_id = remittances.practice_id
        and by_trace.remittance_id = remittances.remittance_id
    where by_trace.remittance_id is null

),

open_deposits as (

    select deposits.*
    from deposits
    left join by_trace
        on by_trace.practice_id = deposits.practice_id
        and by_trace.transaction_id = deposits.transaction_id
    where by_trace.transaction_id is null

),

amount_candidates as (

    select
        open_remittances.practice_id,
        open_remittances.remittance_id,
        open_deposits.transaction_id,
        row_number() over (
            partition by open_remittances.practice_id, open_remittances.remittance_id
            order by open_deposits.posting_date, open_deposits.transaction_id
        ) as remittance_rank,
        row_number() over (
            partition by open_deposits.practice_id, open_deposits.transaction_id
            order by open_remittances.payment_date desc, open_remittances.remittance_id
        ) as deposit_rank
    from open_remittances
    inner join open_deposits
        on open_deposits.practice_id = open_remittances.practice_id
        and open_deposits.amount = open_remittances.payment_amount
        and open_deposits.posting_date >= open_remittances.payment_date
        and open_deposits.posting_date <= {{ rcm_add_days('open_remittances.payment_date', var('deposit_match_window_days')) }}

),

by_amount_and_date as (

    select practice_id, remittance_id, transaction_id, 'amount_and_date' as match_method
    from amount_candidates
    where remittance_rank = 1 and deposit_rank = 1

)

select * from by_trace
union all
select * from by_amount_and_date
