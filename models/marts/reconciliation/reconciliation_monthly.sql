-- The monthly reconciliation statement: per practice, month, side (bank, posting, patient) and status, the
-- items and their remitted, posted and deposited dollars. Within a practice and month, the remitted dollars of
-- the bank rows and those of the posting rows each add up to Σ BPR02 of the 835s paid in the month
-- (tests/reconciliation/reconciliation_monthly_adds_up.sql).
with

items as (

    select * from {{ ref('reconciliation_items') }}

)

select
    practice_id,
    month,
    reconciliation,
    status,
    is_exception,
    cast(count(*) as bigint) as item_count,
    cast(sum(remitted_amount) as decimal(18, 2)) as remitted_amount,
    cast(sum(posted_amount) as decimal(18, 2)) as posted_amount,
    cast(sum(deposited_amount) as decimal(18, 2)) as deposited_amount,
    cast(sum(difference_amount) as decimal(18, 2)) as difference_amount
from items
group by practice_id, month, reconciliation, status, is_exception
