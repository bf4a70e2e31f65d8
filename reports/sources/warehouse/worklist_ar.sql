-- Open payer A/R per claim at the practice's as-of date, with the timely-filing deadline and a priority; claims
-- named by claim number and account reference (the mart carries it).
select * from marts.worklist_ar
