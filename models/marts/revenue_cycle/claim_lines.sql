-- One row per PM claim line with its PM line-level adjustments and the 835 lines matched to it, net of reversals
-- (int_claim_line_remittances).
-- a view on DuckDB (dbt_project.yml): its table named without the catalog
select * from {{ ref('int_claim_line_remittances').include(database=False) }}
