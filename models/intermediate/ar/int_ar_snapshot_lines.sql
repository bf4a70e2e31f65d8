{{ config(
    materialized=('claim_incremental' if target.type == 'duckdb' else 'view'),
    claim_inputs={
        'int_ar_snapshots': 'claim_id',
        'int_claim_lines': 'claim_id',
        'int_remittance_lines': 'matched_claim_id',
        'int_claim_ledger': 'claim_id',
    },
    dated_input={'model': 'int_ar_snapshots', 'date': 'snapshot_date'},
    date_set={'model': 'int_ar_snapshot_dates', 'date': 'snapshot_date', 'volatile': 'snapshot_date >= as_of_date'},
    date_column='snapshot_date',
) }}
-- depends_on: {{ ref('int_ar_snapshot_dates') }}

-- On DuckDB a daily run recomputes only the claims whose inputs changed, and every claim's rows at new snapshot
-- dates and from the as-of date on: the as-of date and the month end after it change from day to day
-- (macros/claim_incremental.sql, docs/models.md). A line's row reads only its claim's rows and its own date's
-- snapshot, which is what makes that exact.

-- The split alone: the key, what is open on the line and the line's share. The mart ar_snapshot_lines joins the
-- claim's and the line's columns to it, as a view on DuckDB, so the split is the table written (ten million rows
-- at fifty practices: a third less CPU without the 19 copied columns, docs/benchmarks.md). On Spark the mart is
-- the table and this stays a view.

-- int_ar_snapshots split over each claim's PM lines. The PM posts payments to the claim, so a line's share is
-- estimated: the claim's balance (the books) goes to its lines in proportion to what is open on each line by the
-- snapshot date — line charge, less the adjustments the PM posted to that line, less the payers' 835 payments
-- matched to that line once the PM posted them, clamped at zero — else in proportion to the line charges, else
-- evenly. The split is in whole cents, the remainder cents to the largest remainders (ties by line number), so a
-- claim's lines sum to its balance exactly, credit balances included. Dated facts only, as in int_ar_snapshots.
with

snapshots as {{ rcm_inline() }} (

    -- the columns used, named: an inlined CTE read more than once is read whole otherwise
    select practice_id, snapshot_date, claim_id, balance
    from {{ ref('int_ar_snapshots') }} as snapshots_in
    where {{ rcm_claim_date_scope('snapshots_in', 'snapshot_date') }}

),

claim_lines as (

    select practice_id, claim_id, line_number
    from {{ ref('int_claim_lines') }} as lines_in
    where {{ rcm_claim_scope('lines_in') }}

),

remitted_line_payments as (

    -- which line the claim's payments paid, as the payers' 835s say (every payer; a reversal is negative)
    select
        remittance_line_id,
        practice_id,
        matched_claim_id as claim_id,
        matched_line_number as line_number,
        coalesce(payment_date, production_date) as remittance_date,
        paid_amount
    from {{ ref('int_remittance_lines') }} as remits_in
    where match_method in ('line_control_number', 'claim_procedure_date_charge')
        and paid_amount <> 0
        and {{ rcm_claim_scope('remits_in', 'matched_claim_id') }}

),

payer_postings as (

    select distinct practice_id, claim_id, event_date
    from {{ ref('int_claim_ledger') }} as postings_in
    where event_type = 'payer_payment' and {{ rcm_claim_scope('postings_in') }}

),

posted_line_payments as (

    -- an 835 counts once the PM posted it (the claim's first payer payment on or after the 835's date): until
    -- then the books' balance still holds that payment, and an 835 the PM never posted never counts
    select
        remitted_line_payments.practice_id,
        remitted_line_payments.claim_id,
        remitted_line_payments.line_number,
        min(payer_postings.event_date) as fact_date,
        cast(-max(remitted_line_payments.paid_amount) as decimal(18, 2)) as open_effect,
        cast(0 as decimal(18, 2)) as charge_effect
    from remitted_line_payments
    inner join payer_postings
        on payer_postings.practice_id = remitted_line_payments.practice_id
        and payer_postings.claim_id = remitted_line_payments.claim_id
        and payer_postings.event_date >= remitted_line_payments.remittance_date
    group by
        remitted_line_payments.remittance_line_id,
        remitted_line_payments.practice_id,
        remitted_line_payments.claim_id,
        remitted_line_payments.line_number

),

line_facts as (

    -- the books per line: its charge and the adjustments the PM posted to it
    select
        practice_id,
        claim_id,
        line_number,
        event_date as fact_date,
        cast(balance_effect as decimal(18, 2)) as open_effect,
        cast(case when event_type = 'charge' then balance_effect else 0 end as decimal(18, 2)) as charge_effect
    from {{ ref('int_claim_ledger') }} as facts_in
    where is_monetary and line_number is not null and {{ rcm_claim_scope('facts_in') }}

    union all

    select practice_id, claim_id, line_number, fact_date, open_effect, charge_effect from posted_line_payments

),

line_fact_days as (

    select
        practice_id,
        claim_id,
        line_number,
        fact_date,
        sum(open_effect) as open_effect,
        sum(charge_effect) as charge_effect
    from line_facts
    -- a fact without a date is on or before no snapshot
    where fact_date is not null
    group by practice_id, claim_id, line_number, fact_date

),

line_running as (

    -- each line's running totals through each day with a fact, valid until the line's next fact: a snapshot
    -- sees the one row whose range holds its date, so the facts are summed once per line instead of once per
    -- line and snapshot
    select
        practice_id,
        claim_id,
        line_number,
        fact_date,
        coalesce(
            lead(fact_date) over (partition by practice_id, claim_id, line_number order by fact_date),
            cast('9999-12-31' as date)
        ) as next_fact_date,
        -- back to 18 digits: a line's running total fits, and the wide decimal a sum returns costs at every step
        cast(sum(open_effect) over (
            partition by practice_id, claim_id, line_number order by fact_date
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as open_amount,
        cast(sum(charge_effect) over (
            partition by practice_id, claim_id, line_number order by fact_date
            rows between unbounded preceding and current row
        ) as decimal(18, 2)) as charged_amount
    from line_fact_days

),

snapshot_claim_lines as (

    -- only the keys and amounts go through the split; the mart joins the descriptive columns
    select
        snapshots.practice_id,
        snapshots.snapshot_date,
        snapshots.claim_id,
        cast(claim_lines.line_number as integer) as line_number,
        cast(snapshots.balance as decimal(18, 2)) as claim_balance
    from snapshots
    inner join claim_lines
        on claim_lines.practice_id = snapshots.practice_id
        and claim_lines.claim_id = snapshots.claim_id

),

line_positions as (

    -- every condition on one side of the join: DuckDB plans it as a hash join (a condition on a third table,
    -- or an `or`, makes it a nested loop)
    select
        snapshot_claim_lines.*,
        coalesce(line_running.open_amount, 0) as line_open_amount,
        coalesce(line_running.charged_amount, 0) as line_charged_amount
    from snapshot_claim_lines
    left join line_running
        on line_running.practice_id = snapshot_claim_lines.practice_id
        and line_running.claim_id = snapshot_claim_lines.claim_id
        and line_running.line_number = snapshot_claim_lines.line_number
        and line_running.fact_date <= snapshot_claim_lines.snapshot_date
        and line_running.next_fact_date > snapshot_claim_lines.snapshot_date

),

line_cents as (

    -- the line's two possible weights in whole cents, each computed once (bigint arithmetic from here on)
    select
        *,
        cast(case when line_open_amount > 0 then line_open_amount else 0 end * 100 as bigint) as open_weight_cents,
        cast(case when line_charged_amount > 0 then line_charged_amount else 0 end * 100 as bigint)
            as charged_weight_cents
    from line_positions

),

-- The claim totals below are aggregates joined back rather than window functions: window passes over these wide
-- rows ran out of memory at billing-company volumes (tens of millions of line snapshots), while the join streams
-- them through.

claim_weights as (

    select
        practice_id,
        snapshot_date,
        claim_id,
        sum(open_weight_cents) as claim_open_weight,
        sum(charged_weight_cents) as claim_charged_weight,
        count(*) as claim_line_count
    from line_cents
    group by practice_id, snapshot_date, claim_id

),

floors as (

    select
        line_cents.*,
        case
            when claim_weights.claim_open_weight > 0 then 'open_line'
            when claim_weights.claim_charged_weight > 0 then 'line_charge'
            else 'equal'
        end as allocation_basis,
        -- weights in cents (whole numbers), so the split below is integer arithmetic
        case
            when claim_weights.claim_open_weight > 0 then line_cents.open_weight_cents
            when claim_weights.claim_charged_weight > 0 then line_cents.charged_weight_cents
            else cast(1 as bigint)
        end as weight_units,
        -- the sum of the claim's weight_units
        cast(case
            when claim_weights.claim_open_weight > 0 then claim_weights.claim_open_weight
            when claim_weights.claim_charged_weight > 0 then claim_weights.claim_charged_weight
            else claim_weights.claim_line_count
        end as bigint) as claim_weight_units,
        cast(abs(line_cents.claim_balance) * 100 as bigint) as claim_cents
    from line_cents
    inner join claim_weights
        on claim_weights.practice_id = line_cents.practice_id
        and claim_weights.snapshot_date = line_cents.snapshot_date
        and claim_weights.claim_id = line_cents.claim_id

),

shares as (

    select
        *,
        {{ rcm_integer_divide('claim_cents * weight_units', 'claim_weight_units') }} as floor_cents,
        (claim_cents * weight_units) % claim_weight_units as remainder_units
    from floors

),

leftovers as (

    -- the cents the floors leave over (fewer than the claim's lines); most claims have none
    select
        practice_id,
        snapshot_date,
        claim_id,
        max(claim_cents) - sum(floor_cents) as leftover_cents
    from shares
    group by practice_id, snapshot_date, claim_id
    having max(claim_cents) - sum(floor_cents) > 0

),

remainder_cents as (

    -- a leftover cent each to the lines with the largest remainders (ties by line number): ranked only within
    -- the claims that have leftover cents
    select
        practice_id,
        snapshot_date,
        claim_id,
        line_number
    from (
        select
            shares.practice_id,
            shares.snapshot_date,
            shares.claim_id,
            shares.line_number,
            leftovers.leftover_cents,
            row_number() over (
                partition by shares.practice_id, shares.snapshot_date, shares.claim_id
                order by shares.remainder_units desc, shares.line_number
            ) as remainder_rank
        from shares
        inner join leftovers
            on leftovers.practice_id = shares.practice_id
            and leftovers.snapshot_date = shares.snapshot_date
            and leftovers.claim_id = shares.claim_id
    ) as ranked
    where remainder_rank <= leftover_cents

),

allocated as (

    select
        shares.practice_id,
        shares.snapshot_date,
        shares.claim_id,
        shares.line_number,
        shares.line_open_amount,
        shares.allocation_basis,
        cast(
            cast((case when shares.claim_balance < 0 then -1 else 1 end)
                * (shares.floor_cents + case when remainder_cents.line_number is not null then 1 else 0 end)
                as decimal(18, 0))
            * 0.01
        as decimal(18, 2)) as balance
    from shares
    left join remainder_cents
        on remainder_cents.practice_id = shares.practice_id
        and remainder_cents.snapshot_date = shares.snapshot_date
        and remainder_cents.claim_id = shares.claim_id
        and remainder_cents.line_number = shares.line_number

),

lines_of_claims as (

    select distinct practice_id, claim_id from claim_lines

),

-- a balance on a claim the PM charges do not hold (or on no claim) has no line to go to: one row, line 0
unallocated as (

    select
        snapshots.practice_id,
        snapshots.snapshot_date,
        snapshots.claim_id,
        cast(0 as integer) as line_number,
        cast(null as decimal(18, 2)) as line_open_amount,
        'no_pm_lines' as allocation_basis,
        cast(snapshots.balance as decimal(18, 2)) as balance
    from snapshots
    left join lines_of_claims
        on lines_of_claims.practice_id = snapshots.practice_id
        and lines_of_claims.claim_id = snapshots.claim_id
    where lines_of_claims.claim_id is null

),

lines as (

    select * from allocated
    union all
    select * from unallocated

)

select
    practice_id,
    snapshot_date,
    claim_id,
    line_number,
    line_open_amount,
    allocation_basis,
    balance
from lines
-- a line with nothing allocated is not open A/R
where balance <> 0
