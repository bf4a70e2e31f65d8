{{ config(
    materialized=('claim_log_incremental' if target.type == 'duckdb' else 'table'),
    claim_inputs={'int_remittance_lines': 'patient_control_number',
        'int_remittance_adjustments': 'patient_control_number', 'int_claims': 'claim_id',
        'int_claim_lines': 'claim_id', 'int_claim_ledger': 'claim_id'},
    file_inputs=['stg_era__remarks'],
) }}

-- One row per denied 835 service line per remittance, plus one per claim denied at claim level (a CLP
-- without service lines), with its primary reason, whether it came on the claim's first remittance, and
-- what became of it. Denial rule (domain reference §1): a line is denied when it carries an adjustment whose
-- CARC maps to a denial category (or to none: `unmapped`) and either nothing was paid on it or that adjustment
-- is CO, PI or OA. Cost share (PR 1/2/3), CO-45, CO-253 and reversals (CLP02 = 22) never make a denial.
with

remittance_lines as {{ rcm_inline() }} (

    -- the columns used, named: an inlined CTE read more than once is read whole otherwise
    select
        practice_id, remittance_line_id, file_id, segment_no, claim_segment_no, remittance_level,
        patient_control_number, matched_claim_id, matched_line_number, is_matched, is_reversed, claim_status_code,
        era_payer_id, era_payer_name, procedure_code, service_date, payment_date, production_date, charge_amount,
        paid_amount
    from {{ ref('int_remittance_lines') }} as remittance_lines_in
    -- on DuckDB a daily build reads only the claims its inputs logged (macros/claim_log_incremental.sql); a claim's
    -- remarks come with its 835
    where {{ rcm_claim_log_scope('remittance_lines_in', 'patient_control_number') }}
        and claim_role <> 'reversal'

),

adjustments as (

    select * from {{ ref('int_remittance_adjustments') }} as adjustments_in
    where {{ rcm_claim_log_scope('adjustments_in', 'patient_control_number') }}

),

remarks as (

    select * from {{ ref('stg_era__remarks') }}
    where qualifier = 'HE'

),

claims as (

    select * from {{ ref('int_claims') }} as claims_in
    where {{ rcm_claim_log_scope('claims_in') }}

),

claim_lines as (

    select * from {{ ref('int_claim_lines') }} as claim_lines_in
    where {{ rcm_claim_log_scope('claim_lines_in') }}

),

ledger as (

    select * from {{ ref('int_claim_ledger') }} as ledger_in
    where {{ rcm_claim_log_scope('ledger_in') }}
        and event_type = 'adjustment' and adjustment_class = 'denial_writeoff'

),

denial_reasons as (

    select
        adjustments.*,
        row_number() over (
            partition by adjustments.remittance_line_id
            order by adjustments.amount desc, adjustments.adjustment_segment_no, adjustments.triplet_index
        ) as reason_rank,
        cast(sum(adjustments.amount) over (partition by adjustments.remittance_line_id) as decimal(18, 2))
            as denied_amount,
        count(*) over (partition by adjustments.remittance_line_id) as denial_reason_count
    from adjustments
    inner join remittance_lines
        on remittance_lines.remittance_line_id = adjustments.remittance_line_id
    where adjustments.is_denial_reason
        and (remittance_lines.paid_amount = 0 or adjustments.group_code in ('CO', 'PI', 'OA'))

),

line_remarks as (

    select practice_id, file_id, line_segment_no, remark_code
    from (
        select
            remarks.*,
            row_number() over (partition by practice_id, file_id, line_segment_no order by segment_no) as remark_rank
        from remarks
        where line_segment_no is not null
    ) as ranked
    where remark_rank = 1

),

remittance_order as (

    -- the claim's remittances in the order the payer sent them; the first one is where a denial is "initial"
    select
        practice_id,
        patient_control_number,
        file_id,
        claim_segment_no,
        row_number() over (
            partition by practice_id, patient_control_number
            order by payment_date, file_id, claim_segment_no
        ) as remittance_number
    from (
        select distinct practice_id, patient_control_number, file_id, claim_segment_no, payment_date
        from remittance_lines
    ) as claim_remittances

),

denied as (

    select
        remittance_lines.practice_id,
        remittance_lines.remittance_line_id as denial_id,
        coalesce(remittance_lines.matched_claim_id, remittance_lines.patient_control_number) as claim_id,
        remittance_lines.matched_line_number as line_number,
        remittance_lines.remittance_level as denial_level,
        remittance_lines.file_id,
        remittance_lines.claim_status_code,
        remittance_lines.era_payer_id,
        remittance_lines.era_payer_name,
        remittance_lines.procedure_code as era_procedure_code,
        remittance_lines.service_date as era_service_date,
        coalesce(remittance_lines.payment_date, remittance_lines.production_date) as denial_date,
        remittance_lines.charge_amount,
        remittance_lines.paid_amount,
        remittance_lines.is_matched,
        reasons.group_code,
        reasons.carc,
        line_remarks.remark_code as rarc,
        reasons.denial_category,
        reasons.category_key,
        reasons.owner,
        reasons.is_front_end,
        reasons.is_coding_related,
        reasons.mapping_source,
        reasons.denied_amount,
        reasons.denial_reason_count,
        remittance_order.remittance_number = 1 as is_initial_denial
    from remittance_lines
    inner join denial_reasons as reasons
        on reasons.remittance_line_id = remittance_lines.remittance_line_id
        and reasons.reason_rank = 1
    inner join remittance_order
        on remittance_order.practice_id = remittance_lines.practice_id
        and remittance_order.patient_control_number = remittance_lines.patient_control_number
        and remittance_order.file_id = remittance_lines.file_id
        and remittance_order.claim_segment_no = remittance_lines.claim_segment_no
    left join line_remarks
        on line_remarks.practice_id = remittance_lines.practice_id
        and line_remarks.file_id = remittance_lines.file_id
        -- a claim-level row has no line remark; the condition stays a comparison of the two sides, which DuckDB
        -- runs as a hash join (a test on the left side alone made it a nested loop)
        and line_remarks.line_segment_no
            = case when remittance_lines.remittance_level = 'line' then remittance_lines.segment_no end

),

later_payments as (

    -- a later remittance paying the denied line (or, for a claim-level or unmatched denial, any line of the claim);
    -- a secondary's payment (CLP02 = 2/3) covers cost share, it does not overturn the primary's denial
    select
        denied.denial_id,
        min(paid.payment_date) as paid_date,
        cast(sum(paid.paid_amount) as decimal(18, 2)) as recovered_amount
    from denied
    inner join remittance_lines as paid
        on paid.practice_id = denied.practice_id
        and coalesce(paid.matched_claim_id, paid.patient_control_number) = denied.claim_id
        and paid.paid_amount > 0
        and not paid.is_reversed
        and coalesce(paid.claim_status_code, '') not in ('2', '3')
        and (paid.payment_date > denied.denial_date
            or (paid.payment_date = denied.denial_date and paid.file_id > denied.file_id))
    where denied.line_number is null
        or paid.matched_line_number is null
        or paid.matched_line_number = denied.line_number
    group by denied.denial_id

),

write_offs as (

    select
        denied.denial_id,
        min(ledger.event_date) as write_off_date
    from denied
    inner join ledger
        on ledger.practice_id = denied.practice_id
        and ledger.claim_id = denied.claim_id
        and ledger.event_date >= denied.denial_date
    where denied.line_number is null
        or ledger.line_number is null
        or ledger.line_number = denied.line_number
    group by denied.denial_id

),

resolved as (

    select
        denied.*,
        later_payments.recovered_amount,
        case
            when later_payments.paid_date is not null
                and (write_offs.write_off_date is null or later_payments.paid_date <= write_offs.write_off_date)
                then 'overturned_paid'
            when write_offs.write_off_date is not null then 'written_off'
            when denied.group_code = 'PR' then 'billed_to_patient'
            else 'open'
        end as outcome,
        case
            when later_payments.paid_date is not null
                and (write_offs.write_off_date is null or later_payments.paid_date <= write_offs.write_off_date)
                then later_payments.paid_date
            else write_offs.write_off_date
        end as resolution_date
    from denied
    left join later_payments
        on later_payments.denial_id = denied.denial_id
    left join write_offs
        on write_offs.denial_id = denied.denial_id

)

select
    resolved.practice_id,
    resolved.denial_id,
    resolved.claim_id,
    resolved.line_number,
    resolved.denial_level,
    claims.payer_id,
    claims.payer_type,
    resolved.era_payer_id,
    resolved.era_payer_name as payer_name,
    claims.provider_id,
    claims.location_id,
    coalesce(claim_lines.cpt, resolved.era_procedure_code) as cpt,
    claim_lines.modifier_1,
    coalesce(claim_lines.service_date, resolved.era_service_date, claims.service_date) as service_date,
    resolved.denial_date,
    resolved.claim_status_code,
    resolved.group_code,
    resolved.carc,
    resolved.rarc,
    resolved.denial_category,
    resolved.category_key,
    resolved.owner,
    resolved.is_front_end,
    resolved.is_coding_related,
    resolved.mapping_source,
    resolved.denial_reason_count,
    resolved.charge_amount,
    resolved.paid_amount,
    resolved.denied_amount,
    resolved.is_initial_denial,
    resolved.is_matched,
    resolved.outcome,
    resolved.resolution_date,
    case when resolved.resolution_date is not null
        then {{ dbt.datediff('resolved.denial_date', 'resolved.resolution_date', 'day') }}
    end as days_to_resolution,
    coalesce(resolved.recovered_amount, 0) as recovered_amount
from resolved
left join claims
    on claims.practice_id = resolved.practice_id
    and claims.claim_id = resolved.claim_id
left join claim_lines
    on claim_lines.practice_id = resolved.practice_id
    and claim_lines.claim_id = resolved.claim_id
    and claim_lines.line_number = resolved.line_number
