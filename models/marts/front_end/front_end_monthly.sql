-- Front-end revenue integrity per practice × month: eligibility verification and authorizations of the
-- insured visits of the month (front_end_visits, from the PM appointments export: eligibility_checked_at,
-- authorization_required, authorization_obtained), and the front-end share of the month's initial denials
-- (eligibility, coordination of benefits, authorization; seed guide §2 cites 15-30 %). The export carries the
-- appointment's date, not its time: "24-72 h before" is read as 1 to 3 calendar days before the date of service.
with

denials as (

    select * from {{ ref('int_denials') }}
    where is_initial_denial

),

visits as (

    -- every completed insured visit, classified once (front_end_visits)
    select * from {{ ref('front_end_visits') }}

),

visit_sums as (

    select
        practice_id,
        month,
        count(*) as insured_visits,
        sum(case when is_eligibility_verified_before_dos then 1 else 0 end) as verified_before_dos,
        sum(case when is_eligibility_verified_24_72h_before then 1 else 0 end) as verified_24_72h_before,
        sum(case when is_eligibility_not_verified then 1 else 0 end) as not_verified,
        sum(case when authorization_required then 1 else 0 end) as authorization_required_visits,
        sum(case when authorization_required and authorization_obtained then 1 else 0 end) as authorization_obtained_visits
    from visits
    group by practice_id, month

),

denial_sums as (

    select
        practice_id,
        {{ rcm_month_start('denial_date') }} as month,
        count(distinct claim_id) as initially_denied_claims,
        count(distinct case when is_front_end then claim_id end) as front_end_denied_claims,
        sum(denied_amount) as initially_denied_amount,
        sum(case when is_front_end then denied_amount else 0 end) as front_end_denied_amount
    from denials
    group by practice_id, {{ rcm_month_start('denial_date') }}

),

months as (

    select practice_id, month from visit_sums
    union
    select practice_id, month from denial_sums

)

select
    months.practice_id,
    months.month,
    cast(coalesce(visit_sums.insured_visits, 0) as integer) as insured_visits,
    cast(coalesce(visit_sums.verified_before_dos, 0) as integer) as eligibility_verified_before_dos,
    cast(coalesce(visit_sums.verified_24_72h_before, 0) as integer) as eligibility_verified_24_72h_before,
    cast(coalesce(visit_sums.not_verified, 0) as integer) as eligibility_not_verified,
    {{ rcm_ratio('visit_sums.verified_before_dos', 'visit_sums.insured_visits') }} as eligibility_verified_before_dos_rate,
    {{ rcm_ratio('visit_sums.verified_24_72h_before', 'visit_sums.insured_visits') }} as eligibility_verified_24_72h_rate,
    cast(coalesce(visit_sums.authorization_required_visits, 0) as integer) as authorization_required_visits,
    cast(coalesce(visit_sums.authorization_obtained_visits, 0) as integer) as authorization_obtained_visits,
    {{ rcm_ratio('visit_sums.authorization_obtained_visits', 'visit_sums.authorization_required_visits') }}
        as authorization_obtained_rate,
    cast(coalesce(denial_sums.initially_denied_claims, 0) as integer) as initially_denied_claims,
    cast(coalesce(denial_sums.front_end_denied_claims, 0) as integer) as front_end_denied_claims,
    {{ rcm_ratio('denial_sums.front_end_denied_claims', 'denial_sums.initially_denied_claims') }} as front_end_denial_share,
    cast(coalesce(denial_sums.initially_denied_amount, 0) as decimal(18, 2)) as initially_denied_amount,
    cast(coalesce(denial_sums.front_end_denied_amount, 0) as decimal(18, 2)) as front_end_denied_amount,
    {{ rcm_ratio('denial_sums.front_end_denied_amount', 'denial_sums.initially_denied_amount') }}
        as front_end_denial_share_dollars
from months
left join visit_sums
    on visit_sums.practice_id = months.practice_id
    and visit_sums.month = months.month
left join denial_sums
    on denial_sums.practice_id = months.practice_id
    and denial_sums.month = months.month
