-- One row per contracted rate of the PM fee schedules (latest export, staging applies the snapshot rules), with a
-- blank modifier for "any modifier" and an open end for a range without one.
with

fee_schedules as (

    select * from {{ ref('stg_pm__fee_schedules') }}

)

select
    practice_id,
    payer_id,
    coalesce(plan_id, '') as plan_id,
    cpt,
    coalesce(modifier, '') as modifier,
    cast(allowed_amount as decimal(18, 2)) as contracted_amount,
    effective_from,
    coalesce(effective_to, cast('9999-12-31' as date)) as effective_to
from fee_schedules
