-- Claims worth a coding review, one row per reason × claim (a claim can appear for several reasons):
--   em_level_outlier         level 4-5 E/M lines of a provider × visit type × month flagged `high` in em_distribution;
--   modifier_25_frequency    E/M lines with modifier 25 of a provider whose share of E/M lines with modifier 25
--                            over the month exceeds the practice's threshold (int_kpi_targets modifier_25_share);
--   recurring_coding_denial  claims behind a provider × CPT × CARC coding-related denial seen at least
--                            var coding_denial_recurrence times.
with

em_flags as (

    select distinct practice_id, provider_id, month, visit_type
    from {{ ref('em_distribution') }}
    where deviation_flag = 'high'

),

claim_lines as (

    select
        claim_lines.*,
        coalesce(claim_lines.provider_id, '(none)') as provider_key,
        {{ rcm_month_start('claim_lines.service_date') }} as service_month,
        case when claim_lines.cpt in ('99201', '99202', '99203', '99204', '99205') then 'new' else 'established' end
            as visit_type,
        claim_lines.modifier_1 = '25' or claim_lines.modifier_2 = '25' as has_modifier_25
    from {{ ref('int_claim_lines') }} as claim_lines
    where claim_lines.cpt in ('99201', '99202', '99203', '99204', '99205', '99211', '99212', '99213', '99214', '99215')

),

modifier_thresholds as (

    select practice_id, target_value as threshold
    from {{ ref('int_kpi_targets') }}
    where kpi_name = 'modifier_25_share'

),

modifier_shares as (

    select
        claim_lines.practice_id,
        claim_lines.provider_key,
        claim_lines.service_month,
        {{ rcm_ratio('sum(case when claim_lines.has_modifier_25 then 1 else 0 end)', 'count(*)') }} as modifier_25_share
    from claim_lines
    group by claim_lines.practice_id, claim_lines.provider_key, claim_lines.service_month

),

modifier_flags as (

    select modifier_shares.*, modifier_thresholds.threshold
    from modifier_shares
    inner join modifier_thresholds
        on modifier_thresholds.practice_id = modifier_shares.practice_id
    where modifier_shares.modifier_25_share > modifier_thresholds.threshold

),

coding_denials as {{ rcm_inline() }} (

    select * from {{ ref('int_denials') }}
    where is_coding_related

),

recurring as (

    select practice_id, coalesce(provider_id, '(none)') as provider_key, cpt, carc, count(*) as denial_count
    from coding_denials
    group by practice_id, coalesce(provider_id, '(none)'), cpt, carc
    having count(*) >= {{ var('coding_denial_recurrence') }}

),

candidates as (

    select
        claim_lines.practice_id,
        'em_level_outlier' as reason,
        claim_lines.provider_key as provider_id,
        claim_lines.service_month as month,
        claim_lines.claim_id,
        claim_lines.line_number,
        claim_lines.cpt,
        cast(null as {{ dbt.type_string() }}) as carc,
        {{ dbt.concat(["'mean '", "claim_lines.visit_type", "' E/M level above benchmark'"]) }} as detail
    from claim_lines
    inner join em_flags
        on em_flags.practice_id = claim_lines.practice_id
        and em_flags.provider_id = claim_lines.provider_key
        and em_flags.month = claim_lines.service_month
        and em_flags.visit_type = claim_lines.visit_type
    where claim_lines.cpt in ('99204', '99205', '99214', '99215')

    union all

    select
        claim_lines.practice_id,
        'modifier_25_frequency' as reason,
        claim_lines.provider_key as provider_id,
        claim_lines.service_month as month,
        claim_lines.claim_id,
        claim_lines.line_number,
        claim_lines.cpt,
        cast(null as {{ dbt.type_string() }}) as carc,
        'share of E/M lines with modifier 25 above threshold' as detail
    from claim_lines
    inner join modifier_flags
        on modifier_flags.practice_id = claim_lines.practice_id
        and modifier_flags.provider_key = claim_lines.provider_key
        and modifier_flags.service_month = claim_lines.service_month
    where claim_lines.has_modifier_25

    union all

    select
        coding_denials.practice_id,
        'recurring_coding_denial' as reason,
        recurring.provider_key as provider_id,
        {{ rcm_month_start('coding_denials.denial_date') }} as month,
        coding_denials.claim_id,
        coding_denials.line_number,
        coding_denials.cpt,
        coding_denials.carc,
        'coding-related denial recurring for this provider, CPT and CARC' as detail
    from coding_denials
    inner join recurring
        on recurring.practice_id = coding_denials.practice_id
        and recurring.provider_key = coalesce(coding_denials.provider_id, '(none)')
        and recurring.cpt = coding_denials.cpt
        and recurring.carc = coding_denials.carc

)

select
    practice_id,
    reason,
    provider_id,
    month,
    claim_id,
    cast(line_number as integer) as line_number,
    cpt,
    carc,
    detail
from candidates
