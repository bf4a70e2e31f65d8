with

source as (

    select * from {{ source('era', 'era_service_lines') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        claim_segment_no,
        patient_control_number,
        line_number,
        line_control_number,

        -- procedure as paid, and as billed when the payer recoded it
        procedure_qualifier,
        procedure_code,
        modifier_1,
        modifier_2,
        modifier_3,
        modifier_4,
        revenue_code,
        units,
        is_recoded,
        original_procedure_code,
        original_modifier_1,

        -- amounts
        charge_amount,
        paid_amount,
        allowed_amount,
        adjustment_amount,

        -- balancing (SVC02 − Σ CAS = SVC03)
        is_balanced,
        balance_difference,

        -- dates
        coalesce(service_date, service_from_date) as service_date,
        service_to_date

    from source

)

select * from renamed
