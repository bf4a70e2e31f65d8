{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_claim_lines': 'claim_id'},
    global_inputs=['stg_warehouse__account_ref_key'],
) }}

-- One row per PM claim: the claim's attributes come from its first line (the PM bills a claim to one payer, for
-- one rendering provider and location; a claim whose lines disagree keeps line 1's and is flagged). The account
-- reference stands in for the PM account number (patient_id) downstream: the marts publish it, never patient_id.
with

claim_lines as {{ rcm_inline() }} (

    -- on DuckDB a daily build reads only the claims whose lines changed (macros/claim_log_incremental.sql)
    select * from {{ ref('int_claim_lines') }} as claim_lines_in
    where {{ rcm_claim_log_scope('claim_lines_in') }}

),

first_lines as (

    select *
    from (
        select
            claim_lines.*,
            row_number() over (partition by practice_id, claim_id order by line_number) as line_rank
        from claim_lines
    ) as ranked
    where line_rank = 1

),

account_ref_key as (

    select account_ref_key from {{ ref('stg_warehouse__account_ref_key') }}

),

claim_totals as (

    select
        practice_id,
        claim_id,
        count(*) as line_count,
        cast(sum(charge_amount) as decimal(18, 2)) as charge_amount,
        min(service_date) as first_service_date,
        max(service_date) as last_service_date,
        min(claim_created_date) as created_date,
        min(claim_submitted_date) as first_submitted_date,
        max(last_submitted_date) as last_submitted_date,
        max(resubmission_count) as resubmission_count,
        count(distinct coalesce(provider_id, '')) > 1
            or count(distinct coalesce(location_id, '')) > 1
            or count(distinct coalesce(payer_id, '')) > 1 as has_mixed_line_attributes
    from claim_lines
    group by practice_id, claim_id

),

claims as (

    select
        -- ids
        claim_totals.practice_id,
        claim_totals.claim_id,
        first_lines.patient_id,
        {{ rcm_account_ref('account_ref_key.account_ref_key', 'claim_totals.practice_id', 'first_lines.patient_id') }}
            as account_ref,
        first_lines.provider_id,
        first_lines.location_id,
        first_lines.payer_id,
        first_lines.plan_id,
        first_lines.payer_name,
        first_lines.payer_type,
        first_lines.is_self_pay,

        -- amounts
        claim_totals.line_count,
        claim_totals.charge_amount,

        -- dates
        claim_totals.first_service_date as service_date,
        claim_totals.last_service_date,
        claim_totals.created_date,
        claim_totals.first_submitted_date,
        claim_totals.last_submitted_date,
        claim_totals.resubmission_count,

        claim_totals.has_mixed_line_attributes

    from claim_totals
    inner join first_lines
        on first_lines.practice_id = claim_totals.practice_id
        and first_lines.claim_id = claim_totals.claim_id
    -- one row (a missing key leaves account_ref null, and the claims mart's not-null constraint fails the run)
    left join account_ref_key
        on 1 = 1

)

select * from claims
