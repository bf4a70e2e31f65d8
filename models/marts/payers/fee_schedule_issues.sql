-- What is wrong with the contracted fee schedules: two rates of one payer, plan, procedure and modifier whose
-- effective ranges overlap (one row per pair), and procedures a payer with a fee schedule paid without a rate
-- on the date of service (one row per payer, plan and procedure).
with

rates as {{ rcm_inline() }} (

    select * from {{ ref('int_fee_schedule_rates') }}

),

remitted_lines as (

    select * from {{ ref('int_remitted_line_contract_rates') }}

),

overlapping_ranges as (

    select
        earlier.practice_id,
        'overlapping_effective_range' as issue_type,
        earlier.payer_id,
        earlier.plan_id,
        earlier.cpt,
        earlier.modifier,
        earlier.effective_from,
        earlier.effective_to,
        later.effective_from as other_effective_from,
        later.effective_to as other_effective_to,
        cast(0 as bigint) as line_count,
        cast(null as date) as first_service_date,
        cast(null as date) as last_service_date
    from rates as earlier
    inner join rates as later
        on later.practice_id = earlier.practice_id
        and later.payer_id = earlier.payer_id
        and later.plan_id = earlier.plan_id
        and later.cpt = earlier.cpt
        and later.modifier = earlier.modifier
        -- each pair once: ordered by start, then end
        and (
            later.effective_from > earlier.effective_from
            or (later.effective_from = earlier.effective_from and later.effective_to > earlier.effective_to)
        )
        and later.effective_from <= earlier.effective_to

),

missing_codes as (

    select
        practice_id,
        'missing_code' as issue_type,
        payer_id,
        plan_id,
        cpt,
        modifier_1 as modifier,
        cast(null as date) as effective_from,
        cast(null as date) as effective_to,
        cast(null as date) as other_effective_from,
        cast(null as date) as other_effective_to,
        cast(count(*) as bigint) as line_count,
        min(service_date) as first_service_date,
        max(service_date) as last_service_date
    from remitted_lines
    where payer_has_fee_schedule
        and contracted_unit_amount is null
        and charge_amount > 0
    group by practice_id, payer_id, plan_id, cpt, modifier_1

)

select * from overlapping_ranges
union all
select * from missing_codes
