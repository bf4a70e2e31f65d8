{{ config(materialized='table') }}

-- When a claim's balance went to a secondary payer, and when that payer adjudicated, from dated facts only:
--   * a crossover: the primary processed the claim and forwarded it (835 CLP02 = 19/20/21), naming the
--     carrier in NM1*TT;
--   * the secondary's own remittance (CLP02 = 2/3), or a PM payer payment from a payer other than the one billed.
-- The secondary has adjudicated once a payment from it is posted in the PM, or its 835 paid nothing (nothing to
-- post). One row per claim with any of these facts; payers are the PM's ids (835 payer ids mapped by EDI id).
with

claims as (

    select practice_id, claim_id, payer_id from {{ ref('int_claims') }}

),

remittance_lines as (

    select * from {{ ref('int_remittance_lines') }}

),

carriers as (

    select * from {{ ref('stg_era__crossover_carriers') }}

),

payments as (

    select * from {{ ref('stg_pm__payments') }}

),

payers as (

    select practice_id, edi_payer_id, min(payer_id) as payer_id
    from {{ ref('stg_pm__payers') }}
    where edi_payer_id is not null
    group by practice_id, edi_payer_id

),

era_claims as (

    -- a reversal takes money back; it says nothing about who is responsible
    select
        practice_id,
        patient_control_number as claim_id,
        file_id,
        claim_segment_no,
        claim_status_code,
        era_payer_id,
        coalesce(payment_date, production_date) as remittance_date,
        sum(paid_amount) as paid_amount
    from remittance_lines
    where claim_role <> 'reversal' and coalesce(payment_date, production_date) is not null
    group by
        practice_id, patient_control_number, file_id, claim_segment_no, claim_status_code, era_payer_id,
        coalesce(payment_date, production_date)

),

crossovers as (

    select
        era_claims.practice_id,
        era_claims.claim_id,
        era_claims.remittance_date as event_date,
        payers.payer_id
    from era_claims
    left join carriers
        on carriers.practice_id = era_claims.practice_id
        and carriers.file_id = era_claims.file_id
        and carriers.claim_segment_no = era_claims.claim_segment_no
    left join payers
        on payers.practice_id = era_claims.practice_id
        and payers.edi_payer_id = carriers.carrier_id
    where era_claims.claim_status_code in ('19', '20', '21')

),

secondary_facts as (

    select
        era_claims.practice_id,
        era_claims.claim_id,
        era_claims.remittance_date as event_date,
        payers.payer_id,
        era_claims.paid_amount = 0 as is_adjudication
    from era_claims
    left join payers
        on payers.practice_id = era_claims.practice_id
        and payers.edi_payer_id = era_claims.era_payer_id
    where era_claims.claim_status_code in ('2', '3')

    union all

    select
        payments.practice_id,
        payments.claim_id,
        payments.posted_date as event_date,
        payments.payer_id,
        true as is_adjudication
    from payments
    inner join claims
        on claims.practice_id = payments.practice_id
        and claims.claim_id = payments.claim_id
    where payments.payment_source = 'payer' and payments.payer_id <> claims.payer_id

),

first_facts as (

    -- the first crossover, and the first fact of the secondary, of each claim
    select
        kind,
        practice_id,
        claim_id,
        event_date,
        payer_id,
        row_number() over (partition by kind, practice_id, claim_id order by event_date, payer_id) as n
    from (
        select 'crossover' as kind, practice_id, claim_id, event_date, payer_id from crossovers
        union all
        select 'secondary' as kind, practice_id, claim_id, event_date, payer_id from secondary_facts
    ) as facts

),

adjudicated as (

    select practice_id, claim_id, min(event_date) as adjudicated_date
    from secondary_facts
    where is_adjudication
    group by practice_id, claim_id

),

claim_keys as (

    select practice_id, claim_id from crossovers
    union
    select practice_id, claim_id from secondary_facts

)

select
    claim_keys.practice_id,
    claim_keys.claim_id,
    first_crossover.event_date as crossover_date,
    first_crossover.payer_id as crossover_payer_id,
    first_secondary_fact.event_date as secondary_first_date,
    first_secondary_fact.payer_id as secondary_first_payer_id,
    adjudicated.adjudicated_date as secondary_adjudicated_date
from claim_keys
left join first_facts as first_crossover
    on first_crossover.practice_id = claim_keys.practice_id
    and first_crossover.claim_id = claim_keys.claim_id
    and first_crossover.kind = 'crossover'
    and first_crossover.n = 1
left join first_facts as first_secondary_fact
    on first_secondary_fact.practice_id = claim_keys.practice_id
    and first_secondary_fact.claim_id = claim_keys.claim_id
    and first_secondary_fact.kind = 'secondary'
    and first_secondary_fact.n = 1
left join adjudicated
    on adjudicated.practice_id = claim_keys.practice_id
    and adjudicated.claim_id = claim_keys.claim_id
