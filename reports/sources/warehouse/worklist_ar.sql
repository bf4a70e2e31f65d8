-- Open payer A/R per claim at the practice's as-of date, with the timely-filing deadline and a priority.
select * from marts.worklist_ar
