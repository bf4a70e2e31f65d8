with

source as (

    select * from {{ source('clearinghouse', 'ack_277_statuses') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        segment_no,
        status_level,
        trace_number as patient_control_number,
        payer_claim_control_number,
        clearinghouse_trace_number,
        line_control_number,

        -- status: A1 received, A2 accepted into adjudication, A3/A6/A7/A8 rejected
        category_code,
        status_code,
        entity_identifier_code,
        is_acceptance,
        is_rejection,

        -- amounts
        charge_amount,

        -- dates
        status_date,
        service_from_date,
        service_to_date

    from source

)

select * from renamed
