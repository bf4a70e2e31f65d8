-- The insured visits the front desk has to follow up: eligibility not verified before the date of service, or a
-- required authorization not on file. The visits behind the front-end page's eligibility and authorization rates
-- (the rest of the visits passed both). Claim number and the claim's account reference (claims mart), never the
-- patient.
select
    v.practice_id,
    v.appointment_id,
    v.claim_id,
    c.account_ref,
    v.provider_id,
    v.location_id,
    v.payer_id,
    v.appointment_type,
    v.appointment_date,
    strftime(v.month, '%Y-%m') as month_key,
    v.eligibility_checked_date,
    case
        when v.is_eligibility_not_verified then 'not verified'
        when not v.is_eligibility_verified_before_dos then 'verified on or after the visit'
        else 'verified before the visit'
    end as eligibility,
    not v.is_eligibility_verified_before_dos as is_eligibility_late,
    v.authorization_required,
    v.is_authorization_missing
from marts.front_end_visits as v
left join marts.claims as c on c.practice_id = v.practice_id and c.claim_id = v.claim_id
where not v.is_eligibility_verified_before_dos or v.is_authorization_missing
