-- The key of the account reference: one row (the ETL writes it once per warehouse, raw.warehouse_keys).
with

source as (

    select * from {{ source('warehouse', 'warehouse_keys') }}

),

renamed as (

    select
        key_value as account_ref_key
    from source
    where key_name = 'account_ref'

)

select * from renamed
