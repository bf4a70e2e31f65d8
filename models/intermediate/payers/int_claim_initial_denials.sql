-- Per claim, what its first 835 (the first adjudication, reversals aside) denied: the amount adjusted under CARCs
-- the seed carc_denial_categories marks as denials (claim or line level), and the category of the largest such
-- amount. Claims whose first 835 denied nothing have no row. Computed here from the 835 staging models so the
-- payer scorecard depends on no denial mart.
with

era_claims as (

    select
        era_claims.practice_id,
        era_claims.file_id,
        era_claims.transaction_control_number,
        era_claims.segment_no,
        era_claims.patient_control_number as claim_id,
        coalesce(remittances.payment_date, remittances.production_date) as remittance_date,
        row_number() over (
            partition by era_claims.practice_id, era_claims.patient_control_number
            order by coalesce(remittances.payment_date, remittances.production_date), era_claims.file_id, era_claims.segment_no
        ) as remittance_rank
    from {{ ref('stg_era__claims') }} as era_claims
    inner join {{ ref('stg_era__remittances') }} as remittances
        on remittances.practice_id = era_claims.practice_id
        and remittances.file_id = era_claims.file_id
        and remittances.transaction_control_number = era_claims.transaction_control_number
    where era_claims.claim_role <> 'reversal'

),

denial_codes as (

    select carc, denial_category from {{ ref('carc_denial_categories') }} where is_denial

),

denied_by_category as (

    select
        era_claims.practice_id,
        era_claims.claim_id,
        era_claims.remittance_date,
        denial_codes.denial_category,
        sum(adjustments.amount) as denied_amount
    from era_claims
    inner join {{ ref('stg_era__adjustments') }} as adjustments
        on adjustments.practice_id = era_claims.practice_id
        and adjustments.file_id = era_claims.file_id
        and adjustments.transaction_control_number = era_claims.transaction_control_number
        and adjustments.claim_segment_no = era_claims.segment_no
    inner join denial_codes
        on denial_codes.carc = adjustments.reason_code
    where era_claims.remittance_rank = 1
    group by era_claims.practice_id, era_claims.claim_id, era_claims.remittance_date, denial_codes.denial_category

),

ranked as (

    select
        *,
        sum(denied_amount) over (partition by practice_id, claim_id) as claim_denied_amount,
        row_number() over (partition by practice_id, claim_id order by denied_amount desc, denial_category) as category_rank
    from denied_by_category

)

select
    practice_id,
    claim_id,
    remittance_date as first_remittance_date,
    denial_category,
    cast(claim_denied_amount as decimal(18, 2)) as denied_amount
from ranked
where category_rank = 1
