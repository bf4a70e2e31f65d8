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
        originating_company_id,

        -- parties
        payer_id,
        payer_name,
        payee_name,
        payee_npi,
        payee_tax_id,

        -- amounts: BPR03 'D' (debit) is money taken back from the provider
        cast(case when credit_debit_flag = 'D' then -total_paid else total_paid end as decimal(18, 2)) as payment_amount,
        credit_debit_flag,
        transaction_handling_code,
        payment_method,
        claims_paid,
        plb_total,

        -- balancing (SNIP level 3: ΣCLP04 − ΣPLB = BPR02)
        is_balanced,
        balance_difference,
        imbalance_count,
        claim_count,
        service_line_count,

        -- dates
        payment_date,
        production_date

    from source

)

select * from renamed
