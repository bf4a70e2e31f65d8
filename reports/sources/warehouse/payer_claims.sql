-- One row per claim billed to a payer (self-pay left out): the claims behind a payer page's headline figures,
-- summed as payer_summary sums them (charges and the 835s' allowed and paid from the claim's lines) with the days
-- from first submission to the first payer payment. Claim number only, no patient identifiers.
with

lines as (

    select
        practice_id,
        claim_id,
        payer_id,
        count(*) as lines,
        sum(units) as units,
        sum(charge_amount) as charges,
        sum(case when has_remittance then charge_amount else 0 end) as remitted_charges,
        sum(era_allowed_amount) as allowed,
        sum(era_paid_amount) as paid
    from marts.claim_lines
    where not is_self_pay
    group by all

)

select
    lines.*,
    claims.account_ref,
    claims.service_date,
    strftime(claims.service_month, '%Y-%m') as service_month_key,
    claims.first_submitted_date,
    claims.first_payer_payment_date,
    claims.days_to_pay,
    claims.rejection_count,
    claims.first_denied_date,
    claims.status,
    claims.balance
from lines
left join marts.claims as claims
    on claims.practice_id = lines.practice_id
    and claims.claim_id = lines.claim_id
