{{ config(
    materialized=('pm_snapshot_incremental' if target.type == 'duckdb' else 'table'),
    pm_snapshot={'source': 'pm', 'table': 'pm_charges', 'entity': 'charges', 'natural_key': ['claim_id', 'line_number'],
        'date_columns': ['service_date', 'claim_created_date', 'claim_submitted_date', 'last_submitted_date']},
) }}

-- A table, unlike most staging models: the snapshot rule is the costly part, and a view would apply it again
-- for each of the models and data tests that read it (docs/architecture.md). On DuckDB a daily build recomputes
-- only the keys the new files can change (macros/pm_snapshot_incremental.sql).
with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_charges', 'charges', ['claim_id', 'line_number'], ['service_date', 'claim_created_date', 'claim_submitted_date', 'last_submitted_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        claim_id,
        line_number,
        patient_id,
        payer_id,
        plan_id,
        rendering_provider_id,
        rendering_npi,
        location_id,
        appointment_id,

        -- service
        cpt,
        modifier_1,
        modifier_2,
        units,
        icd10_1,
        icd10_2,
        icd10_3,
        icd10_4,
        dx_pointers,
        place_of_service,

        -- amounts
        charge_amount,

        -- dates
        service_date,
        claim_created_date,
        claim_submitted_date,
        last_submitted_date,
        resubmission_count

    from source

)

select * from renamed
