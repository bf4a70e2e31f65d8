with

files as {{ rcm_inline() }} (

    select * from {{ ref('stg_warehouse__files') }}

),

warnings as (

    select * from {{ ref('stg_warehouse__file_warnings') }}

),

remittances as (

    select * from {{ ref('stg_era__remittances') }}

),

imbalances as (

    select * from {{ ref('stg_era__imbalances') }}

),

practices as (

    select distinct practice_id from files

),

file_counts as (

    select
        practice_id,
        cast(sum(case when status = 'loaded' then 1 else 0 end) as bigint) as files_loaded,
        cast(sum(case when status = 'quarantined' then 1 else 0 end) as bigint) as files_quarantined,
        max(case when status = 'loaded' then loaded_at end) as last_loaded_at
    from files
    group by practice_id

),

warning_counts as (

    select practice_id, count(*) as file_warnings
    from warnings
    group by practice_id

),

remittance_balance as (

    select
        practice_id,
        cast(sum(case when not is_balanced then 1 else 0 end) as bigint) as unbalanced_remittances,
        sum(case when not is_balanced then abs(balance_difference) end) as unbalanced_amount
    from remittances
    group by practice_id

),

imbalance_counts as (

    select practice_id, count(*) as balancing_failures
    from imbalances
    group by practice_id

),

summary as (

    select
        practices.practice_id,
        coalesce(file_counts.files_loaded, 0) as files_loaded,
        coalesce(file_counts.files_quarantined, 0) as files_quarantined,
        coalesce(warning_counts.file_warnings, 0) as file_warnings,
        coalesce(remittance_balance.unbalanced_remittances, 0) as unbalanced_remittances,
        cast(coalesce(remittance_balance.unbalanced_amount, 0) as decimal(18, 2)) as unbalanced_amount,
        coalesce(imbalance_counts.balancing_failures, 0) as balancing_failures,
        file_counts.last_loaded_at
    from practices
    left join file_counts using (practice_id)
    left join warning_counts using (practice_id)
    left join remittance_balance using (practice_id)
    left join imbalance_counts using (practice_id)

)

select * from summary
