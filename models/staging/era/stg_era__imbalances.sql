with

source as (

    select * from {{ source('era', 'era_imbalances') }}

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

        -- the rule that failed and by how much
        imbalance_level,
        rule,
        stated_amount,
        computed_amount,
        difference

    from source

)

select * from renamed
