-- The counts behind the headline denial and acceptance rates of kpi_monthly, per practice × month ×
-- dimension value, with the dimensions of int_kpi_monthly_measures (a claim under the practice, its first
-- line's rendering provider and location, and its payer billed): claims first submitted in the month; claims
-- whose first submission was first answered (accepted or rejected) in the month, and those of them accepted;
-- claims whose first remittance, in the month, denied them. Each count is dated by an event that has happened
-- by the month end, so a closed month's rates never change when later files arrive.
with

submissions as {{ rcm_inline() }} (

    select * from {{ ref('int_claim_submission_outcomes') }}

),

adjudications as (

    select * from {{ ref('int_claim_first_remittances') }}
    where is_initially_denied

),

dimensions as (

    {{ kpi_dimensions() }}

),

claim_events as (

    select
        practice_id,
        provider_id,
        location_id,
        payer_id,
        submitted_month as month,
        1 as submitted,
        0 as acknowledged,
        0 as accepted_first_pass,
        0 as initially_denied
    from submissions

    union all

    select
        practice_id,
        provider_id,
        location_id,
        payer_id,
        {{ rcm_month_start('first_acknowledged_date') }} as month,
        0 as submitted,
        1 as acknowledged,
        case when is_first_pass_accepted then 1 else 0 end as accepted_first_pass,
        0 as initially_denied
    from submissions
    where first_acknowledged_date is not null

    union all

    select
        practice_id,
        provider_id,
        location_id,
        payer_id,
        adjudicated_month as month,
        0 as submitted,
        0 as acknowledged,
        0 as accepted_first_pass,
        1 as initially_denied
    from adjudications

)

select
    claim_events.practice_id,
    dimensions.dimension,
    {{ kpi_dimension_value('claim_events') }} as dimension_value,
    claim_events.month,
    sum(claim_events.submitted) as claims_submitted,
    sum(claim_events.acknowledged) as claims_acknowledged,
    sum(claim_events.accepted_first_pass) as claims_accepted_first_pass,
    sum(claim_events.initially_denied) as claims_initially_denied
from claim_events
cross join dimensions
group by
    claim_events.practice_id,
    dimensions.dimension,
    {{ kpi_dimension_value('claim_events') }},
    claim_events.month
