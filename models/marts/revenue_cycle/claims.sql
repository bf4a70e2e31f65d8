-- One row per PM claim: a date for each lifecycle stage (from the ledger's events) and its money to date
-- (int_claim_lifecycle).
select * from {{ ref('int_claim_lifecycle') }}
