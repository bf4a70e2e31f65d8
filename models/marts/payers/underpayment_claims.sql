-- The underpayments rolled up per claim (int_underpayment_claims).
select * from {{ ref('int_underpayment_claims') }}
