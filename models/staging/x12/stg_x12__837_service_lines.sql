with

source as (

    select * from {{ source('x12', 'claim_837_service_lines') }}

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
        line_number,
        line_control_number,
        rendering_provider_npi,

        -- procedure as billed
        procedure_qualifier,
        procedure_code,
        modifier_1,
        modifier_2,
        modifier_3,
        modifier_4,
        unit_basis,
        units,
        place_of_service,
        diagnosis_pointers,

        -- amounts
        charge_amount,

        -- dates
        service_from_date as service_date,
        service_to_date

    from source

)

select * from renamed
