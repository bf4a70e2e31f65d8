-- One row per 835 payment (BPR/TRN): its amount (BPR02, negative for a debit), trace number (TRN02), payment
-- date (BPR16; the production date stands in for dating a non-payment 835 without one), the PM payer its EDI
-- payer id maps to, and the practice's as-of date. remittance_id is built from the file's content (ISA13, ST02,
-- TRN02), never from the file id a load handed out, so marts keyed by it do not depend on the load.
with

remittances as (

    select * from {{ ref('stg_era__remittances') }}

),

pm_payers as (

    -- several plans of one payer share its EDI id
    select practice_id, edi_payer_id, min(payer_id) as payer_id
    from {{ ref('stg_pm__payers') }}
    where edi_payer_id is not null and edi_payer_id <> ''
    group by practice_id, edi_payer_id

),

as_of as (

    select distinct practice_id, as_of_date from {{ ref('int_ar_snapshot_dates') }}

)

select
    {{ dbt.concat(['remittances.practice_id', "'|'", "coalesce(remittances.interchange_control_number, '')", "'|'", 'remittances.transaction_control_number', "'|'", "coalesce(remittances.trace_number, '')"]) }}
        as remittance_id,
    remittances.practice_id,
    remittances.file_id,
    remittances.transaction_control_number,
    remittances.trace_number,
    remittances.payer_id as era_payer_id,
    pm_payers.payer_id,
    remittances.payer_name as era_payer_name,
    remittances.payment_method,
    cast(remittances.payment_amount as decimal(18, 2)) as payment_amount,
    cast(remittances.claims_paid as decimal(18, 2)) as claims_paid_amount,
    cast(remittances.plb_total as decimal(18, 2)) as plb_amount,
    remittances.payment_date,
    coalesce(remittances.payment_date, remittances.production_date) as remittance_date,
    as_of.as_of_date
from remittances
left join pm_payers
    on pm_payers.practice_id = remittances.practice_id
    and pm_payers.edi_payer_id = remittances.payer_id
left join as_of
    on as_of.practice_id = remittances.practice_id
