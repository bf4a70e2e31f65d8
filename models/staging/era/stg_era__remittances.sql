with

source as (

    select * from {{ source('era', 'era_remittances') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        interchange_control_number,
        transaction_control_number,
        segment_no,
        trace_number,

        -- parties
        payer_name,
        payee_name,
        payee_npi,

        -- amounts: BPR03 'D' (debit) is money taken back from the provider
        case when credit_debit_flag = 'D' then -total_paid else total_paid end::decimal(18, 2) as payment_amount,
        credit_debit_flag,
        payment_method,

        -- dates
        payment_date

    from source

)

select * from renamed
