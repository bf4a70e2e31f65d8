{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'stg_pm__charges': 'claim_id'},
    global_inputs=['stg_pm__payers'],
) }}

-- One row per PM claim line (the latest export's version, staging applies the snapshot rules), with its payer's
-- financial class and its claim's totals.
with

charges as (

    -- on DuckDB a daily build reads only the claims whose charges changed (macros/claim_log_incremental.sql)
    select * from {{ ref('stg_pm__charges') }} as charges_in
    where {{ rcm_claim_log_scope('charges_in') }}

),

payers as (

    -- financial class per payer code; plans of one payer share it
    select
        practice_id,
        payer_id,
        max(payer_name) as payer_name,
        max(payer_type) as payer_type
    from {{ ref('stg_pm__payers') }}
    group by practice_id, payer_id

),

claim_lines as (

    select
        -- ids
        charges.practice_id,
        charges.claim_id,
        charges.line_number,
        charges.patient_id,
        charges.appointment_id,
        charges.rendering_provider_id as provider_id,
        charges.location_id,

        -- payer billed
        charges.payer_id,
        charges.plan_id,
        payers.payer_name,
        payers.payer_type,
        (charges.payer_id is null or charges.payer_id = 'SELF' or payers.payer_type = 'self_pay') as is_self_pay,

        -- service
        charges.cpt,
        charges.modifier_1,
        charges.modifier_2,
        charges.units,
        charges.place_of_service,
        charges.icd10_1 as primary_icd10,

        -- amounts
        charges.charge_amount,
        cast(sum(charges.charge_amount) over (partition by charges.practice_id, charges.claim_id) as decimal(18, 2))
            as claim_charge_amount,
        count(*) over (partition by charges.practice_id, charges.claim_id) as claim_line_count,

        -- dates
        charges.service_date,
        charges.claim_created_date,
        charges.claim_submitted_date,
        charges.last_submitted_date,
        charges.resubmission_count

    from charges
    left join payers
        on payers.practice_id = charges.practice_id
        and payers.payer_id = charges.payer_id

)

select * from claim_lines
