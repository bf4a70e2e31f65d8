-- Denials per practice × month (of the remittance) × payer × rendering provider × category × CARC, with the
-- initial denial rates of that payer × provider: the HFMA version (denominator: average claims, or charges,
-- submitted per month over the three months before) and the plain same-month version (÷ claims adjudicated
-- in the month). A rate's numerator is this row's category and CARC; its denominator is the payer × provider's.
with

denials as (

    select * from {{ ref('int_denials') }}

),

claims as {{ rcm_inline() }} (

    select * from {{ ref('int_claim_first_remittances') }}

),

denial_sums as (

    select
        practice_id,
        {{ rcm_month_start('denial_date') }} as month,
        coalesce(payer_id, '(none)') as payer_id,
        coalesce(provider_id, '(none)') as provider_id,
        category_key,
        max(denial_category) as denial_category,
        max(owner) as owner,
        max(case when is_front_end then 1 else 0 end) = 1 as is_front_end,
        carc,
        count(*) as denied_lines,
        count(distinct claim_id) as denied_claims,
        sum(denied_amount) as denied_amount,
        count(distinct case when is_initial_denial then claim_id end) as initially_denied_claims,
        sum(case when is_initial_denial then denied_amount else 0 end) as initially_denied_amount,
        count(distinct case when outcome = 'overturned_paid' then claim_id end) as overturned_claims,
        sum(case when outcome = 'written_off' then denied_amount else 0 end) as written_off_amount
    from denials
    group by
        practice_id,
        {{ rcm_month_start('denial_date') }},
        coalesce(payer_id, '(none)'),
        coalesce(provider_id, '(none)'),
        category_key,
        carc

),

submitted as (

    select
        practice_id,
        submitted_month,
        coalesce(payer_id, '(none)') as payer_id,
        coalesce(provider_id, '(none)') as provider_id,
        count(*) as claims_submitted,
        sum(charge_amount) as charges_submitted
    from claims
    group by practice_id, submitted_month, coalesce(payer_id, '(none)'), coalesce(provider_id, '(none)')

),

adjudicated as (

    select
        practice_id,
        adjudicated_month,
        coalesce(payer_id, '(none)') as payer_id,
        coalesce(provider_id, '(none)') as provider_id,
        count(*) as claims_adjudicated,
        sum(charge_amount) as charges_adjudicated
    from claims
    where adjudicated_month is not null
    group by practice_id, adjudicated_month, coalesce(payer_id, '(none)'), coalesce(provider_id, '(none)')

),

groups as (

    select distinct practice_id, month, payer_id, provider_id from denial_sums

),

prior_submitted as (

    -- HFMA: the average of the three calendar months before the reporting month (a month without
    -- submissions counts as zero)
    select
        groups.practice_id,
        groups.month,
        groups.payer_id,
        groups.provider_id,
        sum(submitted.claims_submitted) as claims_submitted_prior_3m,
        sum(submitted.charges_submitted) as charges_submitted_prior_3m
    from groups
    inner join submitted
        on submitted.practice_id = groups.practice_id
        and submitted.payer_id = groups.payer_id
        and submitted.provider_id = groups.provider_id
        and submitted.submitted_month >= cast({{ dbt.dateadd('month', -3, 'groups.month') }} as date)
        and submitted.submitted_month < groups.month
    group by groups.practice_id, groups.month, groups.payer_id, groups.provider_id

)

select
    denial_sums.practice_id,
    denial_sums.month,
    denial_sums.payer_id,
    denial_sums.provider_id,
    denial_sums.category_key,
    denial_sums.denial_category,
    denial_sums.owner,
    denial_sums.is_front_end,
    denial_sums.carc,
    cast(denial_sums.denied_lines as integer) as denied_lines,
    cast(denial_sums.denied_claims as integer) as denied_claims,
    cast(denial_sums.denied_amount as decimal(18, 2)) as denied_amount,
    cast(denial_sums.initially_denied_claims as integer) as initially_denied_claims,
    cast(denial_sums.initially_denied_amount as decimal(18, 2)) as initially_denied_amount,
    cast(denial_sums.overturned_claims as integer) as overturned_claims,
    cast(denial_sums.written_off_amount as decimal(18, 2)) as written_off_amount,
    cast(coalesce(adjudicated.claims_adjudicated, 0) as integer) as claims_adjudicated,
    cast(coalesce(adjudicated.charges_adjudicated, 0) as decimal(18, 2)) as charges_adjudicated,
    cast(coalesce(prior_submitted.claims_submitted_prior_3m, 0) as integer) as claims_submitted_prior_3m,
    cast(coalesce(prior_submitted.charges_submitted_prior_3m, 0) as decimal(18, 2)) as charges_submitted_prior_3m,
    -- numerator ÷ (three months' total ÷ 3), written as 3 × numerator ÷ total so no amount is divided
    {{ rcm_ratio('3 * denial_sums.initially_denied_claims', 'prior_submitted.claims_submitted_prior_3m') }}
        as initial_denial_rate_hfma_count,
    {{ rcm_ratio('3 * denial_sums.initially_denied_amount', 'prior_submitted.charges_submitted_prior_3m') }}
        as initial_denial_rate_hfma_dollars,
    {{ rcm_ratio('denial_sums.initially_denied_claims', 'adjudicated.claims_adjudicated') }}
        as initial_denial_rate_same_month_count,
    {{ rcm_ratio('denial_sums.initially_denied_amount', 'adjudicated.charges_adjudicated') }}
        as initial_denial_rate_same_month_dollars
from denial_sums
left join adjudicated
    on adjudicated.practice_id = denial_sums.practice_id
    and adjudicated.adjudicated_month = denial_sums.month
    and adjudicated.payer_id = denial_sums.payer_id
    and adjudicated.provider_id = denial_sums.provider_id
left join prior_submitted
    on prior_submitted.practice_id = denial_sums.practice_id
    and prior_submitted.month = denial_sums.month
    and prior_submitted.payer_id = denial_sums.payer_id
    and prior_submitted.provider_id = denial_sums.provider_id
