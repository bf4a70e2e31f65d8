with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_locations', 'locations', ['location_id'], []) }}

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
