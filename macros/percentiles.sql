{#- A continuous percentile (0 < fraction < 1) of a numeric expression, as an aggregate: percentile_cont where the
    engine has the ordered-set form, DuckDB's quantile_cont, Spark's percentile. -#}
{% macro rcm_percentile(expression, fraction) -%}
    {{ return(adapter.dispatch('rcm_percentile', 'rcm_warehouse')(expression, fraction)) }}
{%- endmacro %}

{% macro default__rcm_percentile(expression, fraction) -%}
    percentile_cont({{ fraction }}) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__rcm_percentile(expression, fraction) -%}
    quantile_cont({{ expression }}, {{ fraction }})
{%- endmacro %}

{% macro spark__rcm_percentile(expression, fraction) -%}
    percentile({{ expression }}, {{ fraction }})
{%- endmacro %}
