with

source as (

    select * from {{ source('pm', 'pm_payers_current') }}

),

renamed as (

    select
        practice_id,
        file_id,
        payer_id,
        plan_id,
        payer_name,
        plan_name,
        payer_type,
        edi_payer_id,
        claim_filing_indicator,
        timely_filing_days
    from source

)

select * from renamed
