-- Practice × payer × month of service (and the twelve months ending with it) × denial category: the claims whose
-- first 835 denied something, by the category of the largest denied amount, and their share of the payer's
-- initially denied claims. The scorecard's initial_denial_rate is the total of these over adjudicated claims.
with

facts as (

    select * from {{ ref('int_payer_claim_facts') }}

),

months as (

    select distinct practice_id, payer_id, service_month as month from facts

),

periods as (

    select 'month' as period, months.month, facts.*
    from months
    inner join facts
        on facts.practice_id = months.practice_id
        and facts.payer_id = months.payer_id
        and facts.service_month = months.month

    union all

    select 'trailing_12_months' as period, months.month, facts.*
    from months
    inner join facts
        on facts.practice_id = months.practice_id
        and facts.payer_id = months.payer_id
        and facts.service_month <= months.month
        and facts.service_month > {{ dbt.dateadd('month', -12, 'months.month') }}

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
