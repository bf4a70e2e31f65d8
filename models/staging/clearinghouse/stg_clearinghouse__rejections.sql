with

source as (

    -- events: repeated rows collapse to the latest; their exports carry no range, so nothing is deleted
    {{ pm_current('clearinghouse', 'clearinghouse_rejections', 'rejections', ['batch_id', 'claim_id', 'rejection_date', 'category_code', 'reason_code'], ['service_date', 'submitted_date', 'rejection_date']) }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        line_no,
        batch_id,
        claim_id,
        edi_payer_id,
        payer_name,

        -- rejection
        source as rejected_by,
        status,
        category_code,
        reason_code,
        reason_text,
        entity_code,

        -- amounts
        charge_amount,

        -- dates
        service_date,
        submitted_date,
        rejection_date

    from source

)

select * from renamed
