with

source as (

    -- the PM snapshot rules (docs/inputs.md §4): latest export per key, rows a later export dropped left out
    {{ pm_current('pm', 'fee_schedules', 'fee_schedule', ['payer_id', 'plan_id', 'cpt', 'modifier', 'effective_from'], ['effective_from', 'effective_to']) }}

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
