with

source as (

    select * from {{ source('clearinghouse', 'clearinghouse_rejections_current') }}

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
