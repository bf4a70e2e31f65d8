{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_remittance_lines': 'patient_control_number', 'int_claim_lines': 'claim_id'},
    global_inputs=['int_fee_schedule_rates'],
) }}

-- One row per paid 835 service line still in force (not a reversal, not reversed by a later one) and matched to a
-- PM claim line, with the contracted rate for its payer, plan, procedure and date of service. The rate of the
-- remitted procedure (SVC01) is used, the units of the PM line. A rate with the line's modifier wins over the
-- blank-modifier rate, a plan's own rate over a payer-wide one, the latest effective_from over an older one.
with

remittance_lines as (

    -- on DuckDB a daily build reads only the claims its inputs logged (macros/claim_log_incremental.sql)
    select * from {{ ref('int_remittance_lines') }} as remittance_lines_in
    where {{ rcm_claim_log_scope('remittance_lines_in', 'patient_control_number') }}
        and remittance_level = 'line'
        and claim_role <> 'reversal'
        and not is_reversed
        and is_matched
        and allowed_amount is not null

),

claim_lines as (

    select * from {{ ref('int_claim_lines') }} as claim_lines_in
    where {{ rcm_claim_log_scope('claim_lines_in') }}

),

rates as {{ rcm_inline() }} (

    select * from {{ ref('int_fee_schedule_rates') }}

),

payers_with_schedule as (

    select distinct practice_id, payer_id from rates

),

lines as (

    select
        remittance_lines.practice_id,
        remittance_lines.remittance_line_id,
        remittance_lines.segment_no as remittance_segment_no,
        remittance_lines.matched_claim_id as claim_id,
        remittance_lines.matched_line_number as line_number,
        claim_lines.payer_id,
        coalesce(claim_lines.plan_id, '') as plan_id,
        remittance_lines.era_payer_id,
        remittance_lines.trace_number,
        remittance_lines.payment_date,
        remittance_lines.procedure_code as cpt,
        coalesce(remittance_lines.modifier_1, '') as modifier_1,
        coalesce(claim_lines.units, 1) as units,
        remittance_lines.service_date,
        remittance_lines.charge_amount,
        remittance_lines.allowed_amount,
        remittance_lines.paid_amount
    from remittance_lines
    inner join claim_lines
        on claim_lines.practice_id = remittance_lines.practice_id
        and claim_lines.claim_id = remittance_lines.matched_claim_id
        and claim_lines.line_number = remittance_lines.matched_line_number

),

candidate_rates as (

    select
        lines.practice_id,
        lines.remittance_line_id,
        rates.contracted_amount,
        row_number() over (
            partition by lines.practice_id, lines.remittance_line_id
            order by
                case when rates.modifier = '' then 1 else 0 end,
                case when rates.plan_id = '' then 1 else 0 end,
                rates.effective_from desc
        ) as rate_rank
    from lines
    inner join rates
        on rates.practice_id = lines.practice_id
        and rates.payer_id = lines.payer_id
        and rates.cpt = lines.cpt
        and rates.plan_id in (lines.plan_id, '')
        and rates.modifier in (lines.modifier_1, '')
        and lines.service_date >= rates.effective_from
        and lines.service_date <= rates.effective_to

)

select
    lines.*,
    payers_with_schedule.payer_id is not null as payer_has_fee_schedule,
    candidate_rates.contracted_amount as contracted_unit_amount,
    cast(candidate_rates.contracted_amount * lines.units as decimal(18, 2)) as contracted_amount,
    -- payers allow the lesser of the billed charge and the contracted amount
    cast(
        case
            when candidate_rates.contracted_amount is null then null
            when candidate_rates.contracted_amount * lines.units < lines.charge_amount
                then candidate_rates.contracted_amount * lines.units
            else lines.charge_amount
        end as decimal(18, 2)
    ) as expected_allowed_amount
from lines
left join candidate_rates
    on candidate_rates.practice_id = lines.practice_id
    and candidate_rates.remittance_line_id = lines.remittance_line_id
    and candidate_rates.rate_rank = 1
left join payers_with_schedule
    on payers_with_schedule.practice_id = lines.practice_id
    and payers_with_schedule.payer_id = lines.payer_id
