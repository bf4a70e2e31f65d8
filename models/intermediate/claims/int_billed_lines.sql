-- One row per claim line as last billed on an 837P: for each practice, claim id (CLM01) and line number (LX01),
-- the line of the latest batch that carried the claim (a resubmission or replacement supersedes the earlier one).
with

lines as (

    select * from {{ ref('stg_x12__837_service_lines') }}

),

claims as (

    select practice_id, file_id, segment_no, submitted_date, frequency_code
    from {{ ref('stg_x12__837_claims') }}

),

ranked as (

    select
        lines.practice_id,
        lines.claim_id,
        lines.line_number,
        lines.line_control_number,
        lines.procedure_code,
        lines.modifier_1,
        lines.units,
        lines.charge_amount,
        lines.service_date,
        claims.submitted_date,
        claims.frequency_code,
        lines.file_id,
        lines.segment_no,
        row_number() over (
            partition by lines.practice_id, lines.claim_id, lines.line_number
            order by claims.submitted_date desc, lines.file_id desc, lines.segment_no desc
        ) as submission_rank
    from lines
    inner join claims
        on claims.practice_id = lines.practice_id
        and claims.file_id = lines.file_id
        and claims.segment_no = lines.claim_segment_no
    where lines.line_number is not null

)

select
    practice_id,
    claim_id,
    line_number,
    line_control_number,
    procedure_code,
    modifier_1,
    units,
    charge_amount,
    service_date,
    submitted_date,
    frequency_code,
    file_id,
    segment_no
from ranked
where submission_rank = 1
