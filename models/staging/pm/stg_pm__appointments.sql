with

source as (

    select * from {{ source('pm', 'pm_appointments_current') }}

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
