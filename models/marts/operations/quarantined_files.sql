with

files as (

    select * from {{ ref('stg_warehouse__files') }}

),

quarantined as (

    -- What the practice must fix or re-export: the file, where it broke and what was expected there.
    select
        practice_id,
        file_id,
        file_kind,
        original_name,
        error_location,
        error_message,
        loaded_at as quarantined_at
    from files
    where status = 'quarantined'

)

select * from quarantined
