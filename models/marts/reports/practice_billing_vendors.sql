-- The billing vendor of each practice and the day it took over: the latest change in the practice's settings
-- (rcm.config.yaml, billing_vendor_changes), else the practice_settings seed, which ships the demo practice's row.
with

settings_changes as (

    select
        practice_id,
        vendor as billing_vendor,
        change_date as billing_vendor_since,
        row_number() over (partition by practice_id order by change_date desc) as recency
    from {{ ref('stg_settings__vendor_changes') }}

),

latest_setting as (

    select practice_id, billing_vendor, billing_vendor_since
    from settings_changes
    where recency = 1

)

select practice_id, billing_vendor, billing_vendor_since
from latest_setting

union all

select seed.practice_id, seed.billing_vendor, seed.billing_vendor_since
from {{ ref('practice_settings') }} as seed
left join latest_setting
    on latest_setting.practice_id = seed.practice_id
where latest_setting.practice_id is null
