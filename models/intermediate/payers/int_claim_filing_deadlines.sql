-- Per claim billed to a payer: its timely-filing limit (the practice's override in the settings file, else the PM
-- payer's own timely_filing_days where the PM gives one, else the seed's default for the payer's financial class), the deadline counted from the date of
-- service, and whether the claim counts as filed: a payer acknowledged it (277CA acceptance or an 835), or its
-- latest submission was not rejected. A rejected claim is not filed, so its clock keeps running.
with

claims as (

    select * from {{ ref('int_claim_lifecycle') }}
    where not is_self_pay

),

pm_payers as (

    select practice_id, payer_id, coalesce(plan_id, '') as plan_id, max(timely_filing_days) as timely_filing_days
    from {{ ref('stg_pm__payers') }}
    group by practice_id, payer_id, coalesce(plan_id, '')

),

limits as (

    select * from {{ ref('timely_filing_limits') }}

),

settings_limits as (

    select * from {{ ref('stg_settings__filing_limits') }}

),

rejections as (

    select practice_id, claim_id, max(event_date) as last_rejected_date
    from {{ ref('int_claim_ledger') }}
    where event_type = 'rejected'
    group by practice_id, claim_id

),

with_limits as (

    select
        claims.*,
        rejections.last_rejected_date,
        case
            when settings_limits.filing_limit_days is not null then 'settings'
            when pm_payers.timely_filing_days > 0 then 'pm_payer'
            when limits.payer_type is not null then 'default_for_payer_type'
        end as filing_limit_source,
        case
            when settings_limits.filing_limit_days is not null or pm_payers.timely_filing_days > 0 then null
            else limits.limit_months
        end as filing_limit_months,
        case
            when settings_limits.filing_limit_days is not null then settings_limits.filing_limit_days
            when pm_payers.timely_filing_days > 0 then pm_payers.timely_filing_days
            else limits.limit_days
        end as filing_limit_days
    from claims
    left join pm_payers
        on pm_payers.practice_id = claims.practice_id
        and pm_payers.payer_id = claims.payer_id
        and pm_payers.plan_id = coalesce(claims.plan_id, '')
    left join limits
        on limits.payer_type = claims.payer_type
    left join settings_limits
        on settings_limits.practice_id = claims.practice_id
        and settings_limits.payer_id = claims.payer_id
    left join rejections
        on rejections.practice_id = claims.practice_id
        and rejections.claim_id = claims.claim_id

)

select
    practice_id,
    claim_id,
    payer_id,
    plan_id,
    payer_type,
    service_date,
    first_submitted_date,
    last_submitted_date,
    last_rejected_date,
    accepted_date,
    first_adjudicated_date,
    filing_limit_source,
    cast(filing_limit_months as integer) as filing_limit_months,
    cast(filing_limit_days as integer) as filing_limit_days,
    case
        when filing_limit_months is not null
            then cast({{ dbt.dateadd('month', 'filing_limit_months', 'service_date') }} as date)
        when filing_limit_days is not null
            then cast({{ dbt.dateadd('day', 'filing_limit_days', 'service_date') }} as date)
    end as filing_deadline,
    (
        accepted_date is not null
        or first_adjudicated_date is not null
        or received_by_payer_date is not null
        or (last_submitted_date is not null and (last_rejected_date is null or last_rejected_date < last_submitted_date))
    ) as is_filed
from with_limits
