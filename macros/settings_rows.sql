{#- Rows from a list var written by `rcm` from the settings file (etl/settings/dbt-vars.ts). `columns` is a list
    of (name, type) pairs: type one of text, int, decimal, date. No rows when the var is absent (dbt run by
    hand without `rcm`), typed all the same so downstream joins compile. -#}
{% macro settings_rows(var_name, columns) -%}
    {%- set rows = var(var_name, []) -%}
    {%- if rows | length == 0 %}
    select
        {%- for name, type in columns %}
        {{ settings_value(none, type) }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    from (select 1 as one) as no_settings
    where 1 = 0
    {%- else %}
    {%- for row in rows %}
    select
        {%- for name, type in columns %}
        {{ settings_value(row[name], type) }} as {{ name }}{{ ',' if not loop.last }}
        {%- endfor %}
    {{ 'union all' if not loop.last }}
    {%- endfor %}
    {%- endif %}
{%- endmacro %}

{% macro settings_value(value, type) -%}
    {%- if type == 'text' -%}
        cast({{ 'null' if value is none else settings_string_literal(value) }} as {{ dbt.type_string() }})
    {%- elif type == 'int' -%}
        cast({{ 'null' if value is none else (value | int) }} as {{ dbt.type_int() }})
    {%- elif type == 'decimal' -%}
        cast({{ 'null' if value is none else settings_string_literal(value) }} as decimal(12, 4))
    {%- elif type == 'date' -%}
        cast({{ 'null' if value is none else settings_string_literal(value) }} as date)
    {%- else -%}
        {{ exceptions.raise_compiler_error('settings_rows: unknown column type ' ~ type) }}
    {%- endif -%}
{%- endmacro %}

{#- A string literal with the engine's own escaping: SQL doubles the quote; Spark SQL escapes with a backslash. -#}
{% macro settings_string_literal(value) -%}
    {{ return(adapter.dispatch('settings_string_literal', 'rcm_warehouse')(value)) }}
{%- endmacro %}

{% macro default__settings_string_literal(value) -%}
    '{{ value | string | replace("'", "''") }}'
{%- endmacro %}

{% macro spark__settings_string_literal(value) -%}
    '{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}'
{%- endmacro %}
