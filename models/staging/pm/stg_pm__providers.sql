with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'pm_providers', 'providers', ['provider_id'], ['start_date']) }}

),

renamed as (

    select
        practice_id,
        file_id,
        provider_id,
        npi as provider_npi,
        trim(coalesce(first_name, '') || ' ' || coalesce(last_name, '')) as provider_name,
        credential,
        specialty,
        taxonomy_code,
        start_date
    from source

)

select * from renamed
