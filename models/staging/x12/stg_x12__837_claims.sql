with

source as (

    select * from {{ source('x12', 'claim_837_claims') }}

),

renamed as (

    -- Subscriber and patient names and the member id stay in raw: nothing downstream needs them.
    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        patient_control_number as claim_id,
        original_reference_number,
        billing_provider_npi,
        -- the TR3 leaves 2310B out when the billing provider rendered the service
        coalesce(rendering_provider_npi, billing_provider_npi) as rendering_provider_npi,
        payer_id_qualifier,
        payer_id as edi_payer_id,
        payer_name,

        -- claim
        frequency_code,
        frequency_code = '7' as is_replacement,
        frequency_code = '8' as is_void,
        place_of_service,
        payer_responsibility,
        claim_filing_indicator,

        -- amounts (CLM02 = Σ SV102 when balanced)
        charge_amount,
        line_charge_amount,
        is_balanced,
        service_line_count,
        diagnosis_count,

        -- dates
        transaction_date as submitted_date

    from source

)

select * from renamed
