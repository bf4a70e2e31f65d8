-- Two roads to the same A/R: Σ claims.balance (every posting to date) equals Σ ar_snapshots at the as-of date
-- per practice, and the as-of snapshot equals kpi_monthly's last month. Rows returned are failures.
with

claims as (

    select practice_id, sum(balance) as claims_balance
    from {{ ref('claims') }}
    group by practice_id

),

as_of as (

    select practice_id, max(snapshot_month) as as_of_month, sum(balance) as ar_as_of
    from {{ ref('ar_snapshots') }}
    where is_as_of_date and is_claim_in_pm
    group by practice_id

),

last_month as (

    select kpi.practice_id, kpi.ar_total
    from {{ ref('kpi_monthly') }} as kpi
    inner join (select practice_id, max(month) as month from {{ ref('kpi_monthly') }} group by practice_id) as latest
        on latest.practice_id = kpi.practice_id
        and latest.month = kpi.month

),

all_as_of as (

    select practice_id, sum(balance) as ar_as_of
    from {{ ref('ar_snapshots') }}
    where is_as_of_date
    group by practice_id

)

select claims.practice_id, claims.claims_balance, as_of.ar_as_of, last_month.ar_total, all_as_of.ar_as_of as ar_as_of_all
from claims
left join as_of on as_of.practice_id = claims.practice_id
left join last_month on last_month.practice_id = claims.practice_id
left join all_as_of on all_as_of.practice_id = claims.practice_id
where coalesce(as_of.ar_as_of, 0) <> claims.claims_balance
    or coalesce(all_as_of.ar_as_of, 0) <> coalesce(last_month.ar_total, 0)
