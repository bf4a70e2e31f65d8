-- Every reconciliation item (835 payment ↔ bank deposit ↔ PM posting, and patient receipts ↔ deposits); an item
-- about a claim carries the claim's account reference (claims mart).
select strftime(i.month, '%Y-%m') as month_key, i.*, c.account_ref
from marts.reconciliation_items i
left join marts.claims c on c.practice_id = i.practice_id and c.claim_id = i.claim_id
