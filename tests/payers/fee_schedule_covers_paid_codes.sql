-- Fee-schedule validation: every procedure a payer with a fee schedule paid has a rate on its date of service
-- (fee_schedule_issues lists the gaps). A warning: a missing rate leaves those lines out of underpayments.
{{ config(severity='warn') }}

select *
from {{ ref('fee_schedule_issues') }}
where issue_type = 'missing_code'
