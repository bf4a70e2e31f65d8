-- The insured visits the front desk has to follow up: eligibility not verified before the date of service, or a
-- required authorization not on file. The visits behind the front-end page's eligibility and authorization rates
-- (the rest of the visits passed both). Claim number only, no patient identifiers.
select
    practice_id,
    appointment_id,
    claim_id,
    provider_id,
    location_id,
    payer_id,
    appointment_type,
    appointment_date,
    strftime(month, '%Y-%m') as month_key,
    eligibility_checked_date,
    case
        when is_eligibility_not_verified then 'not verified'
        when not is_eligibility_verified_before_dos then 'verified on or after the visit'
        else 'verified before the visit'
    end as eligibility,
    not is_eligibility_verified_before_dos as is_eligibility_late,
    authorization_required,
    is_authorization_missing
from marts.front_end_visits
where not is_eligibility_verified_before_dos or is_authorization_missing
