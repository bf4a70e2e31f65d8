-- Every reconciliation item (835 payment ↔ bank deposit ↔ PM posting, and patient receipts ↔ deposits).
select strftime(month, '%Y-%m') as month_key, * from marts.reconciliation_items
