with

source as (

    select * from {{ source('pm', 'pm_locations_current') }}

),

renamed as (

    select
        practice_id,
        file_id,
        location_id,
        location_name,
        city,
        state,
        zip,
        place_of_service,
        npi as location_npi
    from source

)

select * from renamed
