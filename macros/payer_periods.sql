{#- The payer marts' two periods: each row of `rows` (a CTE with a service_month column) once under period
    'month' for its own month, and under 'trailing_12_months' for each month (of the rows sharing its `keys`)
    whose twelve months ending with it include the row's month. Returns `period, month, <rows>.*`. -#}
{% macro month_and_trailing_12_months(rows, keys) -%}
    {%- set months %}(select distinct {{ keys | join(', ') }}, service_month as month from {{ rows }}){% endset -%}
    select 'month' as period, months.month, {{ rows }}.*
    from {{ months }} as months
    inner join {{ rows }}
        on {% for key in keys %}{{ rows }}.{{ key }} = months.{{ key }}
        and {% endfor %}{{ rows }}.service_month = months.month

    union all

    select 'trailing_12_months' as period, months.month, {{ rows }}.*
    from {{ months }} as months
    inner join {{ rows }}
        on {% for key in keys %}{{ rows }}.{{ key }} = months.{{ key }}
        and {% endfor %}{{ rows }}.service_month <= months.month
        and {{ rows }}.service_month > {{ dbt.dateadd('month', -12, 'months.month') }}
{%- endmacro %}
