{{ config(materialized="table") }}

-- One row per claim rejection event: 277CA claim statuses A3/A6/A7/A8, and the clearinghouse rejection report
-- (which names the claims of a 999-rejected transaction set: a 999 acknowledges sets, not claims, and the
-- warehouse keeps no 837). A 277CA rejection the report repeats is kept once, from the 277CA.
-- Worked = the claim's first 277CA acceptance (A2) after the rejection: the inputs carry the latest
-- resubmission date only, so the acceptance that proves the fix is the dated evidence.
with

statuses as {{ rcm_inline() }} (

    select * from {{ ref('stg_clearinghouse__277ca_statuses') }}
    where status_level = 'claim'

),

report as (

    select * from {{ ref('stg_clearinghouse__rejections') }}

),

claims as (

    select * from {{ ref('int_claims') }}

),

calendar as (

    select * from {{ ref('int_calendar_days') }}

),

targets as {{ rcm_inline() }} (

    select * from {{ ref('kpi_targets') }}
    where kpi_name = 'rejection_work_business_days'

),

events as (

    select
        practice_id,
        patient_control_number as claim_id,
        '277CA' as rejected_by,
        status_date as rejection_date,
        coalesce(category_code, '') as category_code,
        status_code as reason_code,
        entity_identifier_code as entity_code,
        cast(null as {{ dbt.type_string() }}) as reason_text,
        charge_amount,
        'x12_277ca' as evidence,
        1 as evidence_rank
    from statuses
    where is_rejection

    union all

    select
        practice_id,
        claim_id,
        upper(coalesce(rejected_by, 'clearinghouse')) as rejected_by,
        rejection_date,
        coalesce(category_code, '') as category_code,
        reason_code,
        entity_code,
        reason_text,
        charge_amount,
        'clearinghouse_report' as evidence,
        2 as evidence_rank
    from report

),

deduplicated as (

    select *
    from (
        select
            events.*,
            row_number() over (
                partition by practice_id, claim_id, rejected_by, rejection_date, category_code
                order by evidence_rank
            ) as duplicate_rank,
            max(reason_text) over (
                partition by practice_id, claim_id, rejected_by, rejection_date, category_code
            ) as report_reason_text
        from events
    ) as ranked
    where duplicate_rank = 1

),

acceptances as (

    select practice_id, patient_control_number as claim_id, status_date
    from statuses
    where is_acceptance

),

worked as (

    select
        deduplicated.practice_id,
        deduplicated.claim_id,
        deduplicated.rejected_by,
        deduplicated.rejection_date,
        deduplicated.category_code,
        min(acceptances.status_date) as worked_date
    from deduplicated
    inner join acceptances
        on acceptances.practice_id = deduplicated.practice_id
        and acceptances.claim_id = deduplicated.claim_id
        and acceptances.status_date > deduplicated.rejection_date
    group by
        deduplicated.practice_id,
        deduplicated.claim_id,
        deduplicated.rejected_by,
        deduplicated.rejection_date,
        deduplicated.category_code

),

with_worked as (

    select
        deduplicated.*,
        worked.worked_date
    from deduplicated
    left join worked
        on worked.practice_id = deduplicated.practice_id
        and worked.claim_id = deduplicated.claim_id
        and worked.rejected_by = deduplicated.rejected_by
        and worked.rejection_date = deduplicated.rejection_date
        and worked.category_code = deduplicated.category_code

),

business_days as (

    -- business days after the rejection day up to and including the day it was worked
    select
        with_worked.practice_id,
        with_worked.claim_id,
        with_worked.rejected_by,
        with_worked.rejection_date,
        with_worked.category_code,
        cast(sum(case when calendar.is_business_day then 1 else 0 end) as bigint) as business_days_to_work
    from with_worked
    inner join calendar
        on calendar.date_day > with_worked.rejection_date
        and calendar.date_day <= with_worked.worked_date
    group by
        with_worked.practice_id,
        with_worked.claim_id,
        with_worked.rejected_by,
        with_worked.rejection_date,
        with_worked.category_code

),

sla as (

    select
        practices.practice_id,
        -- The settings file (rcm.config.yaml) first, then the seed's practice row, then its default.
        coalesce(settings.rejection_sla_business_days, own.target_value, fallback.target_value, 2) as sla_business_days
    from (select distinct practice_id from deduplicated) as practices
    left join {{ ref('stg_settings__practices') }} as settings
        on settings.practice_id = practices.practice_id
    left join targets as own
        on own.practice_id = practices.practice_id
    left join targets as fallback
        on fallback.practice_id = '*'

)

select
    with_worked.practice_id,
    {{ dbt.concat(['with_worked.practice_id', "'|'", 'with_worked.claim_id', "'|'", 'with_worked.rejected_by', "'|'", 'cast(with_worked.rejection_date as ' ~ dbt.type_string() ~ ')', "'|'", 'with_worked.category_code']) }}
        as rejection_id,
    with_worked.claim_id,
    claims.payer_id,
    claims.payer_type,
    claims.provider_id,
    claims.location_id,
    claims.service_date,
    with_worked.rejected_by,
    with_worked.evidence,
    with_worked.rejection_date,
    with_worked.category_code,
    with_worked.reason_code,
    with_worked.entity_code,
    coalesce(with_worked.reason_text, with_worked.report_reason_text) as reason_text,
    with_worked.charge_amount,
    with_worked.worked_date,
    case when with_worked.worked_date is not null then coalesce(business_days.business_days_to_work, 0) end
        as business_days_to_work,
    sla.sla_business_days,
    case
        when with_worked.worked_date is null then null
        else coalesce(business_days.business_days_to_work, 0) <= sla.sla_business_days
    end as is_sla_met,
    case when with_worked.worked_date is not null and claims.service_date is not null
        then {{ dbt.datediff('claims.service_date', 'with_worked.worked_date', 'day') }}
    end as days_from_service_to_acceptance
from with_worked
left join business_days
    on business_days.practice_id = with_worked.practice_id
    and business_days.claim_id = with_worked.claim_id
    and business_days.rejected_by = with_worked.rejected_by
    and business_days.rejection_date = with_worked.rejection_date
    and business_days.category_code = with_worked.category_code
left join claims
    on claims.practice_id = with_worked.practice_id
    and claims.claim_id = with_worked.claim_id
inner join sla
    on sla.practice_id = with_worked.practice_id
