with

source as (

    select * from {{ source('era', 'era_claims') }}

),

renamed as (

    -- Patient and insured names stay in raw: nothing downstream needs them.
    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        patient_control_number,
        payer_claim_control_number,
        original_payer_claim_control_number,
        rendering_provider_npi,

        -- status
        claim_status_code,
        claim_status_code = '22' as is_reversal,
        claim_role,
        reversal_segment_no,
        claim_filing_indicator,
        facility_type_code,
        frequency_code,

        -- amounts
        charge_amount,
        paid_amount,
        patient_responsibility_amount,
        claim_adjustment_amount,
        line_adjustment_amount,

        -- balancing (CLP03 − Σ CAS = CLP04)
        is_balanced,
        balance_difference,
        service_line_count,

        -- dates
        statement_from_date,
        statement_to_date,
        received_date

    from source

)

select * from renamed
