with

source as (

    select * from {{ source('clearinghouse', 'ack_999_transaction_sets') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        segment_no,
        ack_group_control_number as submitted_group_control_number,
        ack_transaction_control_number as submitted_transaction_control_number,
        ack_transaction_set_id as submitted_transaction_set_id,

        -- result: A accepted, E accepted with errors, R/M/W/X rejected
        ack_code,
        is_accepted,
        is_rejected,
        error_count,
        syntax_error_codes

    from source

)

select * from renamed
