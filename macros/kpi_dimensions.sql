{#- The grains of the monthly KPIs: each claim counts once for the practice as a whole, its rendering provider,
    its location and its payer billed. int_kpi_monthly_measures and int_denial_kpi_monthly_measures both use
    these, so their rows join one to one. -#}

{#- One row per dimension name: a CTE body to cross join with. -#}
{% macro kpi_dimensions() -%}
    select 'practice' as dimension
    union all select 'provider'
    union all select 'location'
    union all select 'payer'
{%- endmacro %}

{#- The value of `dimension` for a row (alias `row`) carrying practice_id, provider_id, location_id and a payer
    column: the practice id, or the code, '(none)' where the row has none. -#}
{% macro kpi_dimension_value(row, payer_column='payer_id', dimension='dimensions.dimension') -%}
    case {{ dimension }}
        when 'practice' then {{ row }}.practice_id
        when 'provider' then coalesce({{ row }}.provider_id, '(none)')
        when 'location' then coalesce({{ row }}.location_id, '(none)')
        when 'payer' then coalesce({{ row }}.{{ payer_column }}, '(none)')
    end
{%- endmacro %}
