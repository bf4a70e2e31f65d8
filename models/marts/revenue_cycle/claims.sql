-- One row per PM claim: a date for each lifecycle stage (from the ledger's events) and its money to date
-- (int_claim_lifecycle).
-- a view on DuckDB (dbt_project.yml): its table named without the catalog
select * from {{ ref('int_claim_lifecycle').include(database=False) }}
