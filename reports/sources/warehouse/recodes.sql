-- 835 lines whose remitted procedure differs from the billed one.
select * from marts.recodes
