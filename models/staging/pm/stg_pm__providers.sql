with

source as (

    select * from {{ source('pm', 'pm_providers_current') }}

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
