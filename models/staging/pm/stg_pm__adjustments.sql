with

source as (

    select * from {{ source('pm', 'pm_adjustments_current') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        adjustment_id,
        claim_id,
        line_number,
        payer_id,
        reference_number,

        -- adjustment
        adjustment_type,
        group_code,
        reason_code,
        amount,
        approved_by,

        -- dates
        posted_date

    from source

)

select * from renamed
