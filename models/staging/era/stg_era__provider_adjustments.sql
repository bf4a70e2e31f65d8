with

source as (

    select * from {{ source('era', 'era_provider_adjustments') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        pair_index,
        provider_id,

        -- adjustment: a positive amount reduces the payment (WO recovery), a negative one adds to it (L6 interest)
        reason_code,
        reference_id,
        amount,

        -- dates
        fiscal_period_date

    from source

)

select * from renamed
