-- Per practice × payer: how many paid claims took how long from first submission to the first payer payment, in
-- the buckets a payer's prompt-pay terms are usually written in. Every month; reads marts only.
with

paid as (

    select
        practice_id,
        payer_id,
        days_to_pay
    from marts.claims
    where not is_self_pay and days_to_pay is not null

),

bucketed as (

    select
        practice_id,
        payer_id,
        case
            when days_to_pay <= 14 then 1
            when days_to_pay <= 30 then 2
            when days_to_pay <= 45 then 3
            when days_to_pay <= 60 then 4
            when days_to_pay <= 90 then 5
            when days_to_pay <= 120 then 6
            else 7
        end as bucket_sort
    from paid

),

counted as (

    select practice_id, payer_id, bucket_sort, count(*) as paid_claims
    from bucketed
    group by all

)

select
    practice_id,
    payer_id,
    bucket_sort,
    case bucket_sort
        when 1 then '0–14 days'
        when 2 then '15–30 days'
        when 3 then '31–45 days'
        when 4 then '46–60 days'
        when 5 then '61–90 days'
        when 6 then '91–120 days'
        else 'over 120 days'
    end as days_to_pay_bucket,
    paid_claims,
    paid_claims / sum(paid_claims) over (partition by practice_id, payer_id) as share_of_paid_claims
from counted
order by practice_id, payer_id, bucket_sort
