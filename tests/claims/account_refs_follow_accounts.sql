-- The account reference stands for the PM account number one for one within a practice (macros/account_ref.sql):
-- every claim has one, the claims of one account share it, two accounts never share one, and no reference holds
-- its account number. A row is a reference or an account breaking that. The warehouse has exactly one key.
with

claims as (

    select practice_id, patient_id, account_ref from {{ ref('int_claims') }}

),

refs_per_account as (

    select practice_id, patient_id, count(distinct account_ref) as refs, count(account_ref) as with_ref,
        count(*) as claims
    from claims
    group by practice_id, patient_id

),

accounts_per_ref as (

    select practice_id, account_ref, count(distinct patient_id) as accounts
    from claims
    where account_ref is not null
    group by practice_id, account_ref

),

keys as (

    select count(*) as key_count, min(length(account_ref_key)) as key_length
    from {{ ref('stg_warehouse__account_ref_key') }}

)

select practice_id, patient_id as problem, 'account with no reference or several' as why
from refs_per_account
where refs <> 1 or with_ref <> claims

union all

select practice_id, account_ref, 'reference shared by accounts'
from accounts_per_ref
where accounts > 1

union all

select practice_id, account_ref, 'reference holds its account number'
from claims
where account_ref is not null and patient_id is not null and instr(account_ref, patient_id) > 0

union all

select cast(null as {{ dbt.type_string() }}), cast(key_count as {{ dbt.type_string() }}), 'not one key of 64 hex digits'
from keys
where key_count <> 1 or key_length <> 64
