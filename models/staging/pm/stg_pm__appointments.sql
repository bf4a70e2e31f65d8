with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_appointments', 'appointments', ['appointment_id'], ['scheduled_date', 'appointment_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        appointment_id,
        patient_id,
        provider_id,
        location_id,
        claim_id,

        -- visit
        appointment_type,
        status,
        authorization_required,
        authorization_obtained,

        -- dates
        scheduled_date,
        appointment_date,
        eligibility_checked_at

    from source

)

select * from renamed
