-- A view on DuckDB, a table on Spark (where the marts are the Parquet hand-off): it only selects from one
-- intermediate table, and as a table it would write the same rows a second time (docs/benchmarks.md). Views do
-- not keep constraints, so the post-hook checks the not_null ones (macros/not_null_constraints.sql). The view names
-- its table without the catalog, so it still resolves when the file is attached under another name.
{{ config(
    materialized=('view' if target.type == 'duckdb' else 'table'),
    post_hook="{{ rcm_check_view_not_null() }}"
) }}
-- One row per PM claim: a date for each lifecycle stage (from the ledger's events) and its money to date
-- (int_claim_lifecycle).
select * from {{ ref('int_claim_lifecycle').include(database=False) }}
