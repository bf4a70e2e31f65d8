-- int_underpayments rolled up per claim (appeals go per claim): shortfall below contract, excess above it. The
-- underpayment_claims mart publishes it.
with

underpayments as (

    select * from {{ ref('int_underpayments') }}

)

select
    practice_id,
    claim_id,
    max(payer_id) as payer_id,
    min(service_date) as service_date,
    min(payment_date) as first_payment_date,
    max(payment_date) as last_payment_date,
    cast(count(*) as bigint) as variance_line_count,
    cast(sum(case when variance_type = 'underpaid' then 1 else 0 end) as bigint) as underpaid_line_count,
    cast(sum(expected_allowed_amount) as decimal(18, 2)) as expected_allowed_amount,
    cast(sum(allowed_amount) as decimal(18, 2)) as allowed_amount,
    cast(sum(case when variance_type = 'underpaid' then -difference_amount else 0 end) as decimal(18, 2))
        as underpaid_amount,
    cast(sum(case when variance_type = 'overpaid' then difference_amount else 0 end) as decimal(18, 2))
        as overpaid_amount,
    cast(sum(difference_amount) as decimal(18, 2)) as net_difference_amount
from underpayments
group by practice_id, claim_id
