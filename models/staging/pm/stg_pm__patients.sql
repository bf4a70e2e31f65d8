with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_patients', 'patients', ['patient_id'], ['date_of_birth', 'registered_date']) }}

),

deidentified as (

    -- Names, street addresses, phone numbers, member ids and full birth dates stay in raw: marts and reports
    -- get only what analysis needs (HIPAA safe-harbor style: birth year, first three ZIP digits).
    select
        -- ids
        practice_id,
        file_id,
        patient_id,
        primary_payer_id,
        plan_id,

        -- demographics
        sex,
        year(date_of_birth) as birth_year,
        left(zip, 3) as zip3,
        state,

        -- dates
        registered_date

    from source

)

select * from deidentified
