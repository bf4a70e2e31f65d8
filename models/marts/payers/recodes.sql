-- One row per 835 service line whose remitted procedure (SVC01) differs from the billed one: the line of the
-- practice's 837P when loaded (matched by line control number REF*6R, else by the matched PM line number), else
-- the procedure the payer echoes in SVC06 when it recoded, else the PM charge line the remittance matched.
with

remittance_lines as (

    select * from {{ ref('int_remittance_lines') }}
    where remittance_level = 'line'
        and claim_role <> 'reversal'

),

service_lines as (

    select practice_id, file_id, segment_no, original_procedure_code, original_modifier_1, units
    from {{ ref('stg_era__service_lines') }}

),

claim_lines as (

    select practice_id, claim_id, line_number, payer_id, cpt from {{ ref('int_claim_lines') }}

),

billed_lines as (

    select practice_id, claim_id, line_number, line_control_number, procedure_code
    from {{ ref('int_billed_lines') }}

),

billed_by_control_number as (

    -- a line control number names one line of its claim; should two lines share one, the first line wins
    select practice_id, claim_id, line_control_number, procedure_code
    from (
        select
            billed_lines.*,
            row_number() over (
                partition by practice_id, claim_id, line_control_number order by line_number
            ) as line_rank
        from billed_lines
        where line_control_number is not null
    ) as numbered
    where line_rank = 1

),

compared as (

    select
        remittance_lines.practice_id,
        remittance_lines.segment_no as remittance_segment_no,
        coalesce(remittance_lines.matched_claim_id, remittance_lines.patient_control_number) as claim_id,
        remittance_lines.matched_line_number as line_number,
        claim_lines.payer_id,
        remittance_lines.era_payer_id,
        remittance_lines.trace_number,
        remittance_lines.payment_date,
        remittance_lines.service_date,
        claim_lines.cpt as pm_procedure_code,
        service_lines.original_procedure_code as svc06_procedure_code,
        coalesce(billed_by_lcn.procedure_code, billed_by_line.procedure_code) as x837_procedure_code,
        coalesce(
            billed_by_lcn.procedure_code,
            billed_by_line.procedure_code,
            service_lines.original_procedure_code,
            claim_lines.cpt
        ) as billed_procedure_code,
        case
            when coalesce(billed_by_lcn.procedure_code, billed_by_line.procedure_code) is not null then '837'
            when service_lines.original_procedure_code is not null then 'svc06'
            else 'pm_charge'
        end as billed_procedure_source,
        remittance_lines.procedure_code as remitted_procedure_code,
        remittance_lines.modifier_1 as remitted_modifier_1,
        remittance_lines.charge_amount,
        remittance_lines.allowed_amount,
        remittance_lines.paid_amount
    from remittance_lines
    inner join service_lines
        on service_lines.practice_id = remittance_lines.practice_id
        and service_lines.file_id = remittance_lines.file_id
        and service_lines.segment_no = remittance_lines.segment_no
    left join claim_lines
        on claim_lines.practice_id = remittance_lines.practice_id
        and claim_lines.claim_id = remittance_lines.matched_claim_id
        and claim_lines.line_number = remittance_lines.matched_line_number
    left join billed_by_control_number as billed_by_lcn
        on billed_by_lcn.practice_id = remittance_lines.practice_id
        and billed_by_lcn.claim_id = remittance_lines.patient_control_number
        and billed_by_lcn.line_control_number = remittance_lines.line_control_number
    left join billed_lines as billed_by_line
        on billed_by_line.practice_id = remittance_lines.practice_id
        and billed_by_line.claim_id = remittance_lines.matched_claim_id
        and billed_by_line.line_number = remittance_lines.matched_line_number

)

select *
from compared
where billed_procedure_code is not null
    and billed_procedure_code <> remitted_procedure_code
