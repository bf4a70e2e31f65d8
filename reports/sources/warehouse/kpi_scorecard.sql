-- Each headline KPI per practice × month in long form, beside last month, the same month last year and the
-- practice's target, with a traffic light: green = target met, red = beyond the published "poor" value,
-- amber = in between (or target missed where no "poor" value is published). Reads marts only.
-- Each figure also as text in its KPI's unit, for the pages to show as is: rates as percentages (their changes in
-- percentage points, "pts"), days to one decimal, money in dollars and cents. The texts are made here only, from
-- the same DOUBLE values the pages read, so every page shows a value the same way.
with

months as (

    select *, payer_payments + patient_payments as total_payments from marts.kpi_monthly

),

measures as (

    select practice_id, month, 1 as sort, 'net_collection_rate_t90' as kpi_name,
        'Net collection rate (trailing 90 days)' as label, 'pct' as unit, net_collection_rate_t90 as value
    from months
    union all
    select practice_id, month, 2, 'days_in_ar', 'Days in A/R', 'days', days_in_ar from months
    union all
    select practice_id, month, 3, 'ar_over_90_pct', 'A/R over 90 days', 'pct', ar_over_90_pct from months
    union all
    select practice_id, month, 4, 'ar_over_120_pct', 'A/R over 120 days', 'pct', ar_over_120_pct from months
    union all
    select practice_id, month, 5, 'initial_denial_rate', 'Initial denial rate (HFMA, claims)', 'pct', initial_denial_rate
    from months
    union all
    select practice_id, month, 6, 'first_pass_acceptance_rate', 'First-pass acceptance', 'pct', first_pass_acceptance_rate
    from months
    union all
    select practice_id, month, 7, 'gross_charges', 'Charges', 'usd', gross_charges from months
    union all
    select practice_id, month, 8, 'total_payments', 'Payments (payer + patient)', 'usd', total_payments from months
    union all
    select practice_id, month, 9, 'ar_total', 'Total A/R at month end', 'usd', ar_total from months
    union all
    select practice_id, month, 10, 'days_in_ar_mgma', 'Days in A/R (MGMA)', 'days', days_in_ar_mgma from months

),

scored as (

    select
        m.practice_id,
        strftime(m.month, '%Y-%m') as month_key,
        m.month,
        m.sort,
        m.kpi_name,
        m.label,
        m.unit,
        cast(m.value as double) as value,
        cast(prior.value as double) as prior_month_value,
        cast(last_year.value as double) as last_year_value,
        cast(m.value - prior.value as double) as change_vs_prior_month,
        cast(t.target_value as double) as target_value,
        cast(t.poor_value as double) as poor_value,
        t.direction,
        t.source as target_source,
        case
            when t.target_value is null or m.value is null then null
            when t.direction = 'at_least' and m.value >= t.target_value then 'green'
            when t.direction = 'at_most' and m.value <= t.target_value then 'green'
            when t.direction = 'at_least' and t.poor_value is not null and m.value < t.poor_value then 'red'
            when t.direction = 'at_most' and t.poor_value is not null and m.value > t.poor_value then 'red'
            else 'amber'
        end as status
    from measures as m
    left join measures as prior
        on prior.practice_id = m.practice_id and prior.kpi_name = m.kpi_name
        and prior.month = m.month - interval 1 month
    left join measures as last_year
        on last_year.practice_id = m.practice_id and last_year.kpi_name = m.kpi_name
        and last_year.month = m.month - interval 12 month
    left join marts.practice_kpi_targets as t
        on t.practice_id = m.practice_id and t.kpi_name = m.kpi_name

),

texts as (

    -- each value as text in its KPI's unit, one formatting rule for all five: rates as percentages, money in
    -- dollars and cents, days to one decimal (null stays null)
    select
        *,
        list_transform(
            [value, prior_month_value, last_year_value, target_value, poor_value],
            lambda v: case unit
                when 'pct' then printf('%.1f%%', v * 100)
                when 'usd' then case when v < 0 then '-$' else '$' end || printf('%,.2f', abs(v))
                else printf('%.1f', v)
            end
        ) as texts,
        case unit
            when 'pct' then printf('%+.1f pts', change_vs_prior_month * 100)
            when 'usd' then case when change_vs_prior_month < 0 then '-$' else '+$' end
                || printf('%,.2f', abs(change_vs_prior_month))
            else printf('%+.1f', change_vs_prior_month)
        end as change_text
    from scored

),

named as (

    select
        * exclude (texts, change_text),
        texts[1] as value_text,
        texts[2] as prior_month_text,
        texts[3] as last_year_text,
        change_text,
        texts[4] as target_text,
        texts[5] as poor_text
    from texts

)

select
    *,
    case
        when target_value is null then null
        when direction = 'at_least' then 'green ≥ ' || target_text || coalesce('; red < ' || poor_text, '; amber below target')
        else 'green ≤ ' || target_text || coalesce('; red > ' || poor_text, '; amber above target')
    end as thresholds
from named
