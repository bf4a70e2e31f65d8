-- One row per completed insured visit (PM appointments export): whether eligibility was verified before the date
-- of service (and 1 to 3 days before), and whether an authorization the payer requires was on file. The visits
-- behind front_end_monthly's eligibility and authorization rates, which it sums from here, and the front desk's
-- list of visits to follow up. Named by claim number (the appointment's PM claim), never by patient.
-- The export carries the appointment's date, not its time: "24-72 h before" is read as 1 to 3 calendar days.
with

appointments as (

    select * from {{ ref('stg_pm__appointments') }}
    where status = 'completed'

),

claims as (

    select * from {{ ref('int_claims') }}

),

visits as (

    select
        appointments.practice_id,
        appointments.appointment_id,
        appointments.claim_id,
        coalesce(appointments.provider_id, claims.provider_id) as provider_id,
        coalesce(appointments.location_id, claims.location_id) as location_id,
        claims.payer_id,
        appointments.appointment_type,
        appointments.appointment_date,
        {{ rcm_month_start('appointments.appointment_date') }} as month,
        cast(appointments.eligibility_checked_at as date) as eligibility_checked_date,
        coalesce(appointments.authorization_required, false) as authorization_required,
        coalesce(appointments.authorization_obtained, false) as authorization_obtained
    from appointments
    left join claims
        on claims.practice_id = appointments.practice_id
        and claims.claim_id = appointments.claim_id
    -- insured visits only: a self-pay visit has no eligibility to check
    where not coalesce(claims.is_self_pay, false)

)

select
    practice_id,
    appointment_id,
    claim_id,
    provider_id,
    location_id,
    payer_id,
    appointment_type,
    appointment_date,
    month,
    eligibility_checked_date,
    coalesce(eligibility_checked_date < appointment_date, false) as is_eligibility_verified_before_dos,
    coalesce(
        eligibility_checked_date >= cast({{ dbt.dateadd('day', -3, 'appointment_date') }} as date)
        and eligibility_checked_date <= cast({{ dbt.dateadd('day', -1, 'appointment_date') }} as date),
        false
    ) as is_eligibility_verified_24_72h_before,
    eligibility_checked_date is null as is_eligibility_not_verified,
    authorization_required,
    authorization_obtained,
    authorization_required and not authorization_obtained as is_authorization_missing
from visits
