with

source as (

    select * from {{ source('pm', 'bank_deposits_current') }}

),

renamed as (

    select
        practice_id,
        file_id,
        line_no,
        transaction_id,
        type as deposit_type,
        description,
        reference,
        amount,
        posting_date
    from source

)

select * from renamed
