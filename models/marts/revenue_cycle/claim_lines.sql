-- One row per PM claim line with its PM line-level adjustments and the 835 lines matched to it, net of reversals
-- (int_claim_line_remittances).
select * from {{ ref('int_claim_line_remittances') }}
