-- At every month end, the aging buckets of ar_snapshots sum to kpi_monthly's total A/R, and payer + patient A/R
-- equal it too. Rows returned are failures.
with

buckets as (

    select
        practice_id,
        snapshot_month as month,
        sum(case when aging_bucket = '0-30' then balance else 0 end)
            + sum(case when aging_bucket = '31-60' then balance else 0 end)
            + sum(case when aging_bucket = '61-90' then balance else 0 end)
            + sum(case when aging_bucket = '91-120' then balance else 0 end)
            + sum(case when aging_bucket = '>120' then balance else 0 end) as bucket_total
    from {{ ref('ar_snapshots') }}
    where is_month_end
    group by practice_id, snapshot_month

)

select kpi.practice_id, kpi.month, kpi.ar_total, kpi.ar_payer, kpi.ar_patient, buckets.bucket_total
from {{ ref('kpi_monthly') }} as kpi
left join buckets
    on buckets.practice_id = kpi.practice_id
    and buckets.month = kpi.month
where coalesce(buckets.bucket_total, 0) <> kpi.ar_total
    or kpi.ar_payer + kpi.ar_patient <> kpi.ar_total
