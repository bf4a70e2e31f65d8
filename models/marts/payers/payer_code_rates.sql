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

periods as (

    {{ month_and_trailing_12_months('lines', ['practice_id']) }}

),

by_payer as (

    select
        practice_id,
        payer_id,
        cpt,
        period,
        month,
        count(*) as line_count,
        count(distinct claim_id) as claim_count,
        sum(units) as units,
        sum(allowed_amount) as allowed_amount,
        max(service_date) as last_service_date
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
