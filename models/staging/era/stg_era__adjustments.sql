with

source as (

    select * from {{ source('era', 'era_adjustments') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        claim_segment_no,
        line_segment_no,
        triplet_index,

        -- adjustment: a positive amount reduces the payment
        adjustment_level,
        group_code,
        reason_code,
        group_code || '-' || reason_code as adjustment_code,
        amount,
        quantity

    from source

)

select * from renamed
