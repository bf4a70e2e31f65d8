with

source as (

    select * from {{ source('warehouse', 'files') }}

),

renamed as (

    select
        -- ids
        file_id,
        practice_id,
        sha256,

        -- file
        file_kind,
        original_name,
        size_bytes,

        -- outcome
        status,
        row_count,
        warning_count,
        error_location,
        error_message,

        -- dates
        loaded_at

    from source

)

select * from renamed
