-- 835 lines whose allowed amount differs from the contracted rate by more than the tolerance.
select * from marts.underpayments
