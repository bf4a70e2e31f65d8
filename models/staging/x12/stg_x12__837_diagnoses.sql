with

source as (

    select * from {{ source('x12', 'claim_837_diagnoses') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        claim_segment_no,
        patient_control_number as claim_id,

        -- diagnosis
        diagnosis_order,
        qualifier,
        qualifier in ('ABK', 'BK') as is_principal,
        diagnosis_code

    from source

)

select * from renamed
