-- One row per paid 835 service line whose allowed amount differs from the contracted amount by more than the
-- tolerance (int_underpayments).
select * from {{ ref('int_underpayments') }}
