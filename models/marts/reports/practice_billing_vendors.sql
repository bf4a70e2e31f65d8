-- The billing vendor of each practice and the day it took over, from the practice_settings seed.
select
    practice_id,
    billing_vendor,
    billing_vendor_since
from {{ ref('practice_settings') }}
