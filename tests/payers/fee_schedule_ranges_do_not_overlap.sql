-- Fee-schedule validation: no two rates of one payer, plan, procedure and modifier may cover the same date of
-- service (fee_schedule_issues lists them). A warning, not an error: the contract file is the practice's to fix,
-- and the marts stay usable (the latest effective_from wins, int_remitted_line_contract_rates).
{{ config(severity='warn') }}

select *
from {{ ref('fee_schedule_issues') }}
where issue_type = 'overlapping_effective_range'
