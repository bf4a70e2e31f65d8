-- Coding-related denial rate (coding + bundling/NCCI categories) per practice × rendering provider × month
-- of first remittance: claims whose first remittance carried a coding-related denial ÷ claims adjudicated
-- (first remittance) in the month. Seed guide §3: "percentage of claims with coding related denials, tracked
-- monthly".
with

claims as (

    select * from {{ ref('int_claim_first_remittances') }}
    where adjudicated_month is not null

),

coding_denials as (

    select distinct practice_id, claim_id
    from {{ ref('int_denials') }}
    where is_initial_denial and is_coding_related

),

sums as (

    select
        claims.practice_id,
        coalesce(claims.provider_id, '(none)') as provider_id,
        claims.adjudicated_month as month,
        count(*) as claims_adjudicated,
        sum(case when coding_denials.claim_id is not null then 1 else 0 end) as claims_coding_denied
    from claims
    left join coding_denials
        on coding_denials.practice_id = claims.practice_id
        and coding_denials.claim_id = claims.claim_id
    group by claims.practice_id, coalesce(claims.provider_id, '(none)'), claims.adjudicated_month

)

select
    practice_id,
    provider_id,
    month,
    cast(claims_adjudicated as integer) as claims_adjudicated,
    cast(claims_coding_denied as integer) as claims_coding_denied,
    {{ rcm_ratio('claims_coding_denied', 'claims_adjudicated') }} as coding_denial_rate
from sums
