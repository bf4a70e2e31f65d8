with

source as (

    select * from {{ source('pm', 'pm_payments_current') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        payment_id,
        claim_id,
        patient_id,
        payer_id,
        reference_number,

        -- payment
        payment_source,
        payment_method,
        time_of_service as is_time_of_service,
        amount,

        -- dates
        payment_date,
        posted_date

    from source

)

select * from renamed
