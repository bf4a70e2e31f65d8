with

source as (

    select * from {{ source('warehouse', 'file_warnings') }}

),

renamed as (

    select
        file_id,
        practice_id,
        location,
        code as warning_code,
        message as warning_message
    from source

)

select * from renamed
