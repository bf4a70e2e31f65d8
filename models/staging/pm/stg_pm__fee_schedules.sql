with

source as (

    select * from {{ source('pm', 'fee_schedules_current') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        payer_id,
        plan_id,
        payer_name,

        -- contracted rate
        cpt,
        modifier,
        allowed_amount,

        -- dates
        effective_from,
        effective_to

    from source

)

select * from renamed
