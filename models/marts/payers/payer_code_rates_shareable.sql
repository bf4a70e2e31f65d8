-- payer_code_rates for sharing outside the practice: a row over fewer claims than the practice's minimum (macro
-- small_cell_minimum_claims) is suppressed, as in
-- payer_scorecard_shareable. The other payers' rate is suppressed on its own count too: over a single other payer
-- with few claims it would reveal that payer's small cell.
with

rates as (

    select * from {{ ref('payer_code_rates') }}

),

flagged as (

    select
        rates.*,
        {{ small_cell_minimum_claims('settings') }} as minimum_claims
    from rates
    left join {{ ref('stg_settings__practices') }} as settings
        on settings.practice_id = rates.practice_id

),

suppressed as (

    select
        flagged.*,
        claim_count < minimum_claims as is_suppressed,
        claim_count < minimum_claims or other_payers_claim_count < minimum_claims as is_other_payers_suppressed
    from flagged

)

select
    practice_id,
    payer_id,
    cpt,
    period,
    month,
    is_suppressed,
    is_other_payers_suppressed,
    case when not is_suppressed then practice_code_rank end as practice_code_rank,
    case when not is_suppressed then claim_count end as claim_count,
    case when not is_suppressed then line_count end as line_count,
    case when not is_suppressed then units end as units,
    case when not is_suppressed then allowed_amount end as allowed_amount,
    case when not is_suppressed then allowed_per_unit end as allowed_per_unit,
    case when not is_other_payers_suppressed then other_payers_allowed_per_unit end as other_payers_allowed_per_unit,
    reference_amount,
    case when not is_suppressed then allowed_to_reference_ratio end as allowed_to_reference_ratio
from suppressed
