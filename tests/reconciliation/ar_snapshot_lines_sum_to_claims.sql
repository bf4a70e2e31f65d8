-- The line split of A/R changes no claim's figure: per practice × snapshot × claim, the lines of
-- ar_snapshot_lines sum to the claim's balance in ar_snapshots (no claim missing on either side), and at every
-- month end they sum to kpi_monthly's ar_total. Rows returned are failures.
with

lines as (

    -- the mart is read once (on DuckDB it is a view, a join computed on each read)
    select
        practice_id,
        snapshot_date,
        snapshot_month,
        is_month_end,
        claim_id,
        sum(balance) as line_total,
        max(claim_balance) as claim_balance
    from {{ ref('ar_snapshot_lines') }}
    group by practice_id, snapshot_date, snapshot_month, is_month_end, claim_id

),

claims as (

    select practice_id, snapshot_date, claim_id, balance
    from {{ ref('ar_snapshots') }}

),

by_claim as (

    select
        coalesce(claims.practice_id, lines.practice_id) as practice_id,
        coalesce(claims.snapshot_date, lines.snapshot_date) as snapshot_date,
        coalesce(claims.claim_id, lines.claim_id) as claim_id,
        claims.balance as expected,
        lines.line_total as actual
    from claims
    full outer join lines
        on lines.practice_id = claims.practice_id
        and lines.snapshot_date = claims.snapshot_date
        -- a posting on no claim is one snapshot row with a null claim
        and coalesce(lines.claim_id, '') = coalesce(claims.claim_id, '')
    where claims.balance is null
        or lines.line_total is null
        or lines.line_total <> claims.balance
        or lines.claim_balance <> claims.balance

),

month_ends as (

    select practice_id, snapshot_month, sum(line_total) as line_total
    from lines
    where is_month_end
    group by practice_id, snapshot_month

),

by_month as (

    select
        kpi.practice_id,
        kpi.month as snapshot_date,
        cast(null as {{ dbt.type_string() }}) as claim_id,
        kpi.ar_total as expected,
        month_ends.line_total as actual
    from {{ ref('kpi_monthly') }} as kpi
    left join month_ends
        on month_ends.practice_id = kpi.practice_id
        and month_ends.snapshot_month = kpi.month
    where coalesce(month_ends.line_total, 0) <> kpi.ar_total

)

select * from by_claim
union all
select * from by_month
