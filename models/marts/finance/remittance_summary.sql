with

remittances as (

    select * from {{ ref('stg_era__remittances') }}

),

claims as (

    select * from {{ ref('stg_era__claims') }}

),

remittance_totals as (

    select
        practice_id,
        count(*) as remittances,
        sum(payment_amount) as total_paid,
        sum(plb_total) as plb_total,
        cast(sum(case when not is_balanced then 1 else 0 end) as bigint) as unbalanced_remittances
    from remittances
    group by practice_id

),

claim_totals as (

    select
        practice_id,
        count(*) as claims,
        sum(paid_amount) as claims_paid
    from claims
    group by practice_id

),

summary as (

    select
        remittance_totals.practice_id,
        remittance_totals.remittances,
        coalesce(claim_totals.claims, 0) as claims,
        cast(remittance_totals.total_paid as decimal(18, 2)) as total_paid,
        cast(coalesce(claim_totals.claims_paid, 0) as decimal(18, 2)) as claims_paid,
        cast(coalesce(remittance_totals.plb_total, 0) as decimal(18, 2)) as plb_total,
        remittance_totals.unbalanced_remittances
    from remittance_totals
    left join claim_totals using (practice_id)

)

select * from summary
