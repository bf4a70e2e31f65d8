-- The claims to appeal, with each claim's account reference (claims mart).
select u.*, c.account_ref
from marts.underpayment_claims u
left join marts.claims c on c.practice_id = u.practice_id and c.claim_id = u.claim_id
