with

source as (

    select * from {{ source('era', 'era_claims') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        patient_control_number,
        payer_claim_control_number,

        -- status
        claim_status_code,
        claim_status_code = '22' as is_reversal,

        -- amounts
        charge_amount,
        paid_amount,
        patient_responsibility_amount

    from source

)

select * from renamed
