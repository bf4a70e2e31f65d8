{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_column='patient_control_number',
    claim_inputs={'int_remittance_lines': 'patient_control_number'},
    file_inputs=['stg_era__adjustments'],
    global_inputs=['carc_denial_categories', 'practice_carc_overrides'],
) }}

-- One row per CAS adjustment of an 835 service line, or of a claim remitted without service lines, with the
-- denial category its CARC maps to. Resolution order: the practice's override for the group code, the
-- practice's override for any group ('*'), the default map, else `unmapped` (counted as a denial reason so
-- that a new code is reported, never dropped). Claim-level CAS beside service lines stay out: the 835 puts
-- a whole-claim denial either on every line or on a claim without lines.
with

adjustments as (

    select * from {{ ref('stg_era__adjustments') }}

),

remittance_lines as (

    -- on DuckDB a daily build reads only the claims the remittance lines logged; their adjustments come with them
    -- (macros/claim_log_incremental.sql)
    select * from {{ ref('int_remittance_lines') }} as remittance_lines_in
    where {{ rcm_claim_log_scope('remittance_lines_in', 'patient_control_number') }}

),

default_map as (

    select * from {{ ref('carc_denial_categories') }}

),

overrides as {{ rcm_inline() }} (

    select * from {{ ref('practice_carc_overrides') }}

),

located as (

    select
        adjustments.practice_id,
        adjustments.file_id,
        adjustments.segment_no as adjustment_segment_no,
        adjustments.triplet_index,
        remittance_lines.remittance_line_id,
        remittance_lines.segment_no as remittance_segment_no,
        remittance_lines.patient_control_number,
        adjustments.adjustment_level,
        adjustments.group_code,
        adjustments.reason_code as carc,
        adjustments.amount
    from adjustments
    inner join remittance_lines
        on remittance_lines.practice_id = adjustments.practice_id
        and remittance_lines.file_id = adjustments.file_id
        and remittance_lines.segment_no = coalesce(adjustments.line_segment_no, adjustments.claim_segment_no)
        and remittance_lines.remittance_level = adjustments.adjustment_level

)

select
    located.*,
    coalesce(by_group.denial_category, any_group.denial_category, default_map.denial_category, 'unmapped')
        as denial_category,
    coalesce(by_group.category_key, any_group.category_key, default_map.category_key, 'unmapped') as category_key,
    coalesce(by_group.typical_owner, any_group.typical_owner, default_map.typical_owner, 'biller')
        as owner,
    coalesce(by_group.is_denial, any_group.is_denial, default_map.is_denial, true) as is_denial_reason,
    coalesce(by_group.is_front_end, any_group.is_front_end, default_map.is_front_end, false) as is_front_end,
    coalesce(by_group.is_coding_related, any_group.is_coding_related, default_map.is_coding_related, false)
        as is_coding_related,
    case
        when by_group.carc is not null or any_group.carc is not null then 'practice_override'
        when default_map.carc is not null then 'default'
        else 'unmapped'
    end as mapping_source
from located
left join overrides as by_group
    on by_group.practice_id = located.practice_id
    and by_group.group_code = located.group_code
    and by_group.carc = located.carc
left join overrides as any_group
    on any_group.practice_id = located.practice_id
    and any_group.group_code = '*'
    and any_group.carc = located.carc
left join default_map
    on default_map.carc = located.carc
