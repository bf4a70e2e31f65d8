select
    practice_id,
    reason,
    provider_id,
    strftime(month, '%Y-%m') as month_key,
    claim_id,
    line_number,
    cpt,
    carc,
    detail
from marts.coding_audit_candidates
