with

source as (

    select * from {{ source('era', 'era_remarks') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        claim_segment_no,
        line_segment_no,

        -- remark: qualifier HE = RARC (remittance advice remark code)
        qualifier,
        remark_code

    from source

)

select * from renamed
