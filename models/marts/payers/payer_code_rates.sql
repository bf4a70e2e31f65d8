-- Practice × payer × procedure × month of service (and the twelve months ending with it): allowed per unit at
-- this payer, at the practice's other payers, and against the reference schedule (seed reference_fee_schedule),
-- with the code's volume rank in the practice so reports can keep the top codes. Paid 835 lines in force only
-- (int_remitted_line_contract_rates).
with

lines as (

    select
        practice_id,
        payer_id,
        claim_id,
        cpt,
        {{ rcm_month_start('service_date') }} as service_month,
        service_date,
        units,
        allowed_amount
    from {{ ref('int_remitted_line_contract_rates') }}
    where allowed_amount > 0

),

reference_rates as (

    select * from {{ ref('reference_fee_schedule') }}

),

claim_code_months as (

    -- one row per claim, procedure and month of service, so a claim is counted once however many lines it has
    select
        practice_id,
        payer_id,
        cpt,
        claim_id,
        service_month,
        count(*) as line_count,
        sum(units) as units,
        sum(allowed_amount) as allowed_amount,
        max(service_date) as last_service_date
    from lines
    group by practice_id, payer_id, cpt, claim_id, service_month

),

month_facts as (

    -- the claims' months summed before they are spread over the trailing periods (a distinct count over every
    -- line and period ran out of memory at billing-company volumes). A claim with the same procedure in a
    -- later month is counted in a trailing period through its latest month in that period: next_claim_month
    -- (null for nearly every claim) says until when this month counts it.
    select
        practice_id,
        payer_id,
        cpt,
        service_month,
        next_claim_month,
        sum(line_count) as line_count,
        count(*) as claim_count,
        sum(units) as units,
        sum(allowed_amount) as allowed_amount,
        max(last_service_date) as last_service_date
    from (
        select
            claim_code_months.*,
            lead(service_month) over (
                partition by practice_id, payer_id, cpt, claim_id order by service_month
            ) as next_claim_month
        from claim_code_months
    ) as claim_spans
    group by practice_id, payer_id, cpt, service_month, next_claim_month

),

periods as (

    {{ month_and_trailing_12_months('month_facts', ['practice_id']) }}

),

by_payer as (

    select
        practice_id,
        payer_id,
        cpt,
        period,
        month,
        sum(line_count) as line_count,
        sum(case when next_claim_month is null or next_claim_month > month then claim_count else 0 end)
            as claim_count,
        sum(units) as units,
        sum(allowed_amount) as allowed_amount,
        max(last_service_date) as last_service_date
    from periods
    group by practice_id, payer_id, cpt, period, month

),

by_code as (

    select
        practice_id,
        cpt,
        period,
        month,
        sum(line_count) as line_count,
        -- a claim has one payer: summing over payers counts each claim once
        sum(claim_count) as claim_count,
        sum(units) as units,
        sum(allowed_amount) as allowed_amount
    from by_payer
    group by practice_id, cpt, period, month

),

ranked_codes as (

    select
        by_code.*,
        row_number() over (
            partition by practice_id, period, month order by line_count desc, cpt
        ) as practice_code_rank
    from by_code

)

select
    by_payer.practice_id,
    by_payer.payer_id,
    by_payer.cpt,
    by_payer.period,
    by_payer.month,
    cast(ranked_codes.practice_code_rank as integer) as practice_code_rank,
    cast(by_payer.line_count as bigint) as line_count,
    cast(by_payer.claim_count as bigint) as claim_count,
    cast(ranked_codes.claim_count - by_payer.claim_count as bigint) as other_payers_claim_count,
    cast(by_payer.units as bigint) as units,
    cast(by_payer.allowed_amount as decimal(18, 2)) as allowed_amount,
    -- averages, not posted money: ratios rounded to 6 places (rcm_ratio), never a double kept as an amount
    {{ rcm_ratio('by_payer.allowed_amount', 'by_payer.units') }} as allowed_per_unit,
    {{ rcm_ratio('ranked_codes.allowed_amount - by_payer.allowed_amount', 'ranked_codes.units - by_payer.units') }}
        as other_payers_allowed_per_unit,
    reference_rates.reference_amount,
    {{ rcm_ratio('by_payer.allowed_amount', 'by_payer.units * reference_rates.reference_amount') }}
        as allowed_to_reference_ratio
from by_payer
inner join ranked_codes
    on ranked_codes.practice_id = by_payer.practice_id
    and ranked_codes.cpt = by_payer.cpt
    and ranked_codes.period = by_payer.period
    and ranked_codes.month = by_payer.month
left join reference_rates
    on reference_rates.cpt = by_payer.cpt
    and coalesce(reference_rates.modifier, '') = ''
    and by_payer.last_service_date >= reference_rates.effective_from
    and by_payer.last_service_date <= reference_rates.effective_to
