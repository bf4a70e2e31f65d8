-- Practice × payer × month of service (and the twelve months ending with it) × denial category: the claims whose
-- first 835 denied something, by the category of the largest denied amount, and their share of the payer's
-- initially denied claims. The scorecard's initial_denial_rate is the total of these over adjudicated claims.
with

facts as (

    select * from {{ ref('int_payer_claim_facts') }}

),

periods as (

    {{ month_and_trailing_12_months('facts', ['practice_id', 'payer_id']) }}

),

by_category as (

    select
        practice_id,
        payer_id,
        period,
        month,
        initial_denial_category as denial_category,
        count(*) as initial_denial_count
    from periods
    where is_initial_denial
    group by practice_id, payer_id, period, month, initial_denial_category

)

select
    practice_id,
    payer_id,
    period,
    month,
    denial_category,
    cast(initial_denial_count as bigint) as initial_denial_count,
    {{ rcm_ratio('initial_denial_count', 'sum(initial_denial_count) over (partition by practice_id, payer_id, period, month)') }}
        as share_of_initial_denials
from by_category
