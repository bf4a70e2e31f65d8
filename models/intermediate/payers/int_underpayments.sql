-- One row per paid 835 service line whose allowed amount differs from the contracted amount (the lesser of the
-- contracted rate × units and the billed charge) by more than the tolerance (var underpayment_tolerance, in
-- dollars): below it an underpayment, above it an overpayment the payer may recover. The underpayments mart
-- publishes it.
with

lines as (

    select * from {{ ref('int_remitted_line_contract_rates') }}
    where expected_allowed_amount is not null

),

variances as (

    select
        *,
        cast(allowed_amount - expected_allowed_amount as decimal(18, 2)) as difference_amount
    from lines

)

select
    practice_id,
    claim_id,
    line_number,
    payer_id,
    plan_id,
    era_payer_id,
    trace_number,
    -- the SVC segment's position in its 835 (content, not a load's file id)
    remittance_segment_no,
    payment_date,
    service_date,
    cpt,
    modifier_1,
    cast(units as integer) as units,
    charge_amount,
    contracted_unit_amount,
    expected_allowed_amount,
    allowed_amount,
    paid_amount,
    difference_amount,
    case when difference_amount < 0 then 'underpaid' else 'overpaid' end as variance_type
from variances
where abs(difference_amount) > {{ var('underpayment_tolerance') }}
