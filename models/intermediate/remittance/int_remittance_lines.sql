{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_column='patient_control_number',
    claim_inputs={'int_claim_lines': 'claim_id', 'int_claims': 'claim_id'},
    file_claim_inputs={'stg_era__claims': 'patient_control_number'},
    file_inputs=['stg_era__remittances', 'stg_era__service_lines', 'stg_era__adjustments'],
) }}

-- One row per 835 service line (SVC), plus one per claim-level remittance (a CLP without SVC loops, e.g. a
-- Medicaid whole-claim denial), matched to the PM's claim lines:
--   1. by the line control number (REF*6R), which the practice's 837 sends as <claim id>-<line number>;
--   2. else by CLP01 (claim id) + procedure + date of service + charge (first PM line of several alike);
--   3. a claim-level remittance to its claim (matched_line_number null).
-- Unmatched lines stay, flagged. Reversals (CLP02 = 22) carry negated amounts: summing every row gives each
-- remittance's net effect once; is_reversed marks what a later reversal cancelled.
with

remittances as (

    select * from {{ ref('stg_era__remittances') }}

),

era_claims as {{ rcm_inline() }} (

    -- on DuckDB a daily build reads only the claims of new 835s and those whose PM lines changed; every row read
    -- from the other 835 relations belongs to a claim of its file (macros/claim_log_incremental.sql)
    select * from {{ ref('stg_era__claims') }} as era_claims_in
    where {{ rcm_claim_log_scope('era_claims_in', 'patient_control_number') }}

),

service_lines as (

    select * from {{ ref('stg_era__service_lines') }}

),

adjustments as (

    select * from {{ ref('stg_era__adjustments') }}

),

claim_lines as {{ rcm_inline() }} (

    select practice_id, claim_id, line_number, cpt, service_date, charge_amount
    from {{ ref('int_claim_lines') }} as claim_lines_in
    where {{ rcm_claim_log_scope('claim_lines_in') }}

),

pm_claims as (

    select practice_id, claim_id from {{ ref('int_claims') }} as pm_claims_in
    where {{ rcm_claim_log_scope('pm_claims_in') }}

),

cas_totals as (

    -- CAS by group per line (line level) or per claim (claim level)
    select
        practice_id,
        file_id,
        coalesce(line_segment_no, claim_segment_no) as owner_segment_no,
        adjustment_level,
        cast(sum(case when group_code = 'PR' then amount else 0 end) as decimal(18, 2)) as patient_responsibility_amount,
        cast(sum(case when group_code = 'CO' then amount else 0 end) as decimal(18, 2)) as contractual_obligation_amount,
        cast(sum(case when group_code not in ('PR', 'CO') then amount else 0 end) as decimal(18, 2))
            as other_adjustment_amount
    from adjustments
    group by practice_id, file_id, coalesce(line_segment_no, claim_segment_no), adjustment_level

),

reversed_claims as (

    -- a reversal names the payer claim control number of the claim it takes back
    select distinct
        practice_id,
        patient_control_number,
        original_payer_claim_control_number as payer_claim_control_number
    from era_claims
    where claim_role = 'reversal'

),

claims_with_context as (

    select
        era_claims.*,
        remittances.payer_id as era_payer_id,
        remittances.payer_name as era_payer_name,
        remittances.trace_number,
        remittances.payment_date,
        remittances.production_date,
        era_claims.claim_role <> 'reversal' and reversed_claims.payer_claim_control_number is not null as is_reversed
    from era_claims
    inner join remittances
        on remittances.practice_id = era_claims.practice_id
        and remittances.file_id = era_claims.file_id
        and remittances.transaction_control_number = era_claims.transaction_control_number
    left join reversed_claims
        on reversed_claims.practice_id = era_claims.practice_id
        and reversed_claims.patient_control_number = era_claims.patient_control_number
        and reversed_claims.payer_claim_control_number = era_claims.payer_claim_control_number

),

remittance_lines as (

    select
        service_lines.practice_id,
        service_lines.file_id,
        service_lines.segment_no,
        claims.segment_no as claim_segment_no,
        'line' as remittance_level,
        claims.patient_control_number,
        claims.payer_claim_control_number,
        claims.claim_status_code,
        claims.claim_role,
        claims.is_reversed,
        claims.era_payer_id,
        claims.era_payer_name,
        claims.trace_number,
        service_lines.line_control_number,
        service_lines.procedure_code,
        service_lines.modifier_1,
        service_lines.service_date,
        service_lines.charge_amount,
        service_lines.paid_amount,
        service_lines.allowed_amount,
        coalesce(cas.patient_responsibility_amount, 0) as patient_responsibility_amount,
        coalesce(cas.contractual_obligation_amount, 0) as contractual_obligation_amount,
        coalesce(cas.other_adjustment_amount, 0) as other_adjustment_amount,
        claims.payment_date,
        claims.production_date,
        claims.received_date
    from service_lines
    inner join claims_with_context as claims
        on claims.practice_id = service_lines.practice_id
        and claims.file_id = service_lines.file_id
        and claims.segment_no = service_lines.claim_segment_no
    left join cas_totals as cas
        on cas.practice_id = service_lines.practice_id
        and cas.file_id = service_lines.file_id
        and cas.owner_segment_no = service_lines.segment_no
        and cas.adjustment_level = 'line'

    union all

    select
        claims.practice_id,
        claims.file_id,
        claims.segment_no,
        claims.segment_no as claim_segment_no,
        'claim' as remittance_level,
        claims.patient_control_number,
        claims.payer_claim_control_number,
        claims.claim_status_code,
        claims.claim_role,
        claims.is_reversed,
        claims.era_payer_id,
        claims.era_payer_name,
        claims.trace_number,
        cast(null as {{ dbt.type_string() }}) as line_control_number,
        cast(null as {{ dbt.type_string() }}) as procedure_code,
        cast(null as {{ dbt.type_string() }}) as modifier_1,
        claims.statement_from_date as service_date,
        claims.charge_amount,
        claims.paid_amount,
        cast(null as decimal(18, 2)) as allowed_amount,
        coalesce(cas.patient_responsibility_amount, claims.patient_responsibility_amount, 0)
            as patient_responsibility_amount,
        coalesce(cas.contractual_obligation_amount, 0) as contractual_obligation_amount,
        coalesce(cas.other_adjustment_amount, 0) as other_adjustment_amount,
        claims.payment_date,
        claims.production_date,
        claims.received_date
    from claims_with_context as claims
    left join cas_totals as cas
        on cas.practice_id = claims.practice_id
        and cas.file_id = claims.file_id
        and cas.owner_segment_no = claims.segment_no
        and cas.adjustment_level = 'claim'
    where claims.service_line_count = 0

),

by_line_control_number as (

    select
        remittance_lines.practice_id,
        remittance_lines.file_id,
        remittance_lines.segment_no,
        claim_lines.line_number
    from remittance_lines
    inner join claim_lines
        on claim_lines.practice_id = remittance_lines.practice_id
        and {{ dbt.concat(['claim_lines.claim_id', "'-'", 'cast(claim_lines.line_number as ' ~ dbt.type_string() ~ ')']) }}
            = remittance_lines.line_control_number
        and claim_lines.claim_id = remittance_lines.patient_control_number
    where remittance_lines.remittance_level = 'line'

),

by_claim_procedure_date_charge as (

    select practice_id, file_id, segment_no, line_number
    from (
        select
            remittance_lines.practice_id,
            remittance_lines.file_id,
            remittance_lines.segment_no,
            claim_lines.line_number,
            row_number() over (
                partition by remittance_lines.practice_id, remittance_lines.file_id, remittance_lines.segment_no
                order by claim_lines.line_number
            ) as candidate_rank
        from remittance_lines
        inner join claim_lines
            on claim_lines.practice_id = remittance_lines.practice_id
            and claim_lines.claim_id = remittance_lines.patient_control_number
            and claim_lines.cpt = remittance_lines.procedure_code
            and claim_lines.service_date = remittance_lines.service_date
            -- a reversal negates the charge it takes back
            and claim_lines.charge_amount = abs(remittance_lines.charge_amount)
        where remittance_lines.remittance_level = 'line'
    ) as candidates
    where candidate_rank = 1

),

matched as (

    select
        remittance_lines.*,
        {{ dbt.concat(['remittance_lines.practice_id', "'|'", 'cast(remittance_lines.file_id as ' ~ dbt.type_string() ~ ')', "'|'", 'cast(remittance_lines.segment_no as ' ~ dbt.type_string() ~ ')']) }}
            as remittance_line_id,
        case
            when remittance_lines.remittance_level = 'claim' and pm_claims.claim_id is not null then pm_claims.claim_id
            when by_lcn.line_number is not null or by_attributes.line_number is not null
                then remittance_lines.patient_control_number
        end as matched_claim_id,
        coalesce(by_lcn.line_number, by_attributes.line_number) as matched_line_number,
        case
            when by_lcn.line_number is not null then 'line_control_number'
            when by_attributes.line_number is not null then 'claim_procedure_date_charge'
            when remittance_lines.remittance_level = 'claim' and pm_claims.claim_id is not null then 'claim'
            else 'unmatched'
        end as match_method
    from remittance_lines
    left join by_line_control_number as by_lcn
        on by_lcn.practice_id = remittance_lines.practice_id
        and by_lcn.file_id = remittance_lines.file_id
        and by_lcn.segment_no = remittance_lines.segment_no
    -- equality joins only (a condition on another joined table made DuckDB loop); the case above gives the
    -- line control number precedence
    left join by_claim_procedure_date_charge as by_attributes
        on by_attributes.practice_id = remittance_lines.practice_id
        and by_attributes.file_id = remittance_lines.file_id
        and by_attributes.segment_no = remittance_lines.segment_no
    left join pm_claims
        on pm_claims.practice_id = remittance_lines.practice_id
        and pm_claims.claim_id = remittance_lines.patient_control_number

)

select
    *,
    match_method <> 'unmatched' as is_matched
from matched
