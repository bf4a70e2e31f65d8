{{ config(severity='warn') }}
-- Reports every CARC the denial map does not know (category `unmapped`), per practice and group code, so that
-- a new code is added to carc_denial_categories or a practice override instead of being silently dropped.
select
    practice_id,
    group_code,
    carc,
    count(*) as adjustments,
    sum(amount) as amount
from {{ ref('int_remittance_adjustments') }}
where category_key = 'unmapped'
group by practice_id, group_code, carc
