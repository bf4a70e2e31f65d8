-- One row per fact the warehouse holds about a claim, with the file and the place in it that set the fact:
-- PM export rows (charges, payments, adjustments, clearinghouse rejections) by line, 835 claims and 277CA
-- statuses by segment. The report's claim pages read it so an owner can follow a number down to its source.
-- No patient identifiers: claims are named by the PM claim number only.
-- A view on DuckDB (dbt_project.yml): its tables named without the catalog.
with

files as (

    select * from {{ ref('stg_warehouse__files').include(database=False) }}

),

charges as (

    select
        practice_id, claim_id, line_number, 'charge' as fact, service_date as fact_date,
        charge_amount as amount, cpt as code, file_id, 'line' as position_kind, line_no as position
    from {{ ref('stg_pm__charges').include(database=False) }}

),

payments as (

    select
        practice_id, claim_id, cast(null as integer) as line_number,
        case when payment_source = 'patient' then 'patient payment' else 'payer payment' end as fact,
        posted_date as fact_date, amount, payment_method as code, file_id, 'line' as position_kind,
        line_no as position
    from {{ ref('stg_pm__payments').include(database=False) }}

),

adjustments as (

    select
        practice_id, claim_id, line_number, 'adjustment' as fact, posted_date as fact_date,
        amount, {{ dbt.concat(['group_code', "'-'", 'reason_code']) }} as code, file_id, 'line' as position_kind,
        line_no as position
    from {{ ref('stg_pm__adjustments').include(database=False) }}

),

rejections as (

    select
        practice_id, claim_id, cast(null as integer) as line_number, 'clearinghouse rejection' as fact,
        rejection_date as fact_date, cast(null as decimal(18, 2)) as amount, reason_code as code, file_id,
        'line' as position_kind, line_no as position
    from {{ ref('stg_clearinghouse__rejections').include(database=False) }}

),

remittance_dates as (

    select file_id, transaction_control_number, coalesce(payment_date, production_date) as remittance_date
    from {{ ref('stg_era__remittances').include(database=False) }}

),

remittances as (

    select
        era_claims.practice_id,
        era_claims.patient_control_number as claim_id,
        cast(null as integer) as line_number,
        case when era_claims.claim_status_code = '22' then '835 reversal' else '835 claim payment' end as fact,
        remittance_dates.remittance_date as fact_date,
        era_claims.paid_amount as amount,
        era_claims.claim_status_code as code,
        era_claims.file_id,
        'segment' as position_kind,
        era_claims.segment_no as position
    from {{ ref('stg_era__claims').include(database=False) }} as era_claims
    left join remittance_dates
        on remittance_dates.file_id = era_claims.file_id
        and remittance_dates.transaction_control_number = era_claims.transaction_control_number

),

statuses as (

    select
        practice_id, patient_control_number as claim_id, cast(null as integer) as line_number,
        case
            when is_rejection then '277CA rejection'
            when is_acceptance then '277CA acceptance'
            else '277CA status'
        end as fact,
        status_date as fact_date, charge_amount as amount,
        {{ dbt.concat(['category_code', "':'", 'status_code']) }} as code, file_id,
        'segment' as position_kind, segment_no as position
    from {{ ref('stg_clearinghouse__277ca_statuses').include(database=False) }}
    where status_level = 'claim'

),

facts as (

    select * from charges
    union all
    select * from payments
    union all
    select * from adjustments
    union all
    select * from rejections
    union all
    select * from remittances
    union all
    select * from statuses

)

select
    facts.practice_id,
    facts.claim_id,
    facts.line_number,
    facts.fact,
    facts.fact_date,
    cast(facts.amount as decimal(18, 2)) as amount,
    facts.code,
    facts.file_id,
    files.original_name as file_name,
    files.file_kind,
    facts.position_kind,
    cast(facts.position as bigint) as position
from facts
left join files
    on files.file_id = facts.file_id
