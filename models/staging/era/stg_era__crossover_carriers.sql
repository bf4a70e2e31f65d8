-- The payer a claim was crossed over to (NM1*TT after a CLP, usually with CLP02 = 19): Medicare names the
-- supplemental plan it forwarded the claim to, so the secondary is known before its own 835 arrives.
with

source as (

    select * from {{ source('era', 'era_claim_entities') }}

),

renamed as (

    select
        -- ids
        practice_id,
        file_id,
        transaction_control_number,
        segment_no,
        claim_segment_no,

        -- carrier: NM103 name, NM109 id (NM108 PI = payer id, XV = CMS plan id)
        last_name as carrier_name,
        id_qualifier as carrier_id_qualifier,
        id as carrier_id

    from source
    where entity_code = 'TT'

)

select * from renamed
