{#- Project macros for what dbt's cross-database macros do not cover. Each dispatches: `default__` (or
    `duckdb__`) for DuckDB, `spark__` for Spark; macros/README.md lists them. -#}

{#- Median of a numeric expression (an aggregate). -#}
{% macro rcm_median(expression) -%}
    {{ return(adapter.dispatch('rcm_median', 'rcm_warehouse')(expression)) }}
{%- endmacro %}

{% macro default__rcm_median(expression) -%}
    percentile_cont(0.5) within group (order by {{ expression }})
{%- endmacro %}

{% macro duckdb__rcm_median(expression) -%}
    median({{ expression }})
{%- endmacro %}

{% macro spark__rcm_median(expression) -%}
    percentile({{ expression }}, 0.5)
{%- endmacro %}

{#- A rate as DECIMAL(18,6), null when the denominator is zero or null. Rates are not money: the quotient is a
    double (DuckDB divides decimals as doubles anyway), and the same steps on both engines give the same digits:
    IEEE division, times 10^6, rounded half away from zero to a whole number (DuckDB's round, Spark's HALF_UP
    round of a double), then an exact decimal shift. (A cast to dbt.type_float() would be single precision.) -#}
{% macro rcm_ratio(numerator, denominator) -%}
    {{ return(adapter.dispatch('rcm_ratio', 'rcm_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__rcm_ratio(numerator, denominator) -%}
    case
        when {{ denominator }} is null or {{ denominator }} = 0 then null
        else cast(
            cast(round(cast({{ numerator }} as double) / cast({{ denominator }} as double) * 1000000) as decimal(18, 0))
            * 0.000001
        as decimal(18, 6))
    end
{%- endmacro %}

{#- ISO day of week: 1 = Monday … 7 = Sunday. -#}
{% macro rcm_iso_day_of_week(date_expression) -%}
    {{ return(adapter.dispatch('rcm_iso_day_of_week', 'rcm_warehouse')(date_expression)) }}
{%- endmacro %}

{% macro default__rcm_iso_day_of_week(date_expression) -%}
    cast(extract(isodow from {{ date_expression }}) as integer)
{%- endmacro %}

{% macro duckdb__rcm_iso_day_of_week(date_expression) -%}
    cast(isodow({{ date_expression }}) as integer)
{%- endmacro %}

{% macro spark__rcm_iso_day_of_week(date_expression) -%}
    cast(((dayofweek({{ date_expression }}) + 5) % 7) + 1 as integer)
{%- endmacro %}

{#- A date plus a whole number of days, as a date (dbt.dateadd returns a timestamp on some engines; on Spark it
    goes through unix timestamps). -#}
{% macro rcm_add_days(date_expression, days) -%}
    {{ return(adapter.dispatch('rcm_add_days', 'rcm_warehouse')(date_expression, days)) }}
{%- endmacro %}

{% macro default__rcm_add_days(date_expression, days) -%}
    cast({{ dbt.dateadd('day', days, date_expression) }} as date)
{%- endmacro %}

{% macro spark__rcm_add_days(date_expression, days) -%}
    date_add({{ date_expression }}, cast({{ days }} as integer))
{%- endmacro %}

{#- First day of the date's month, as a date. -#}
{% macro rcm_month_start(date_expression) -%}
    {{ return(adapter.dispatch('rcm_month_start', 'rcm_warehouse')(date_expression)) }}
{%- endmacro %}

{% macro default__rcm_month_start(date_expression) -%}
    cast({{ dbt.date_trunc('month', date_expression) }} as date)
{%- endmacro %}

{#- trunc(date, 'MM') stays a date; date_trunc would pass through a timestamp in the session's time zone. -#}
{% macro spark__rcm_month_start(date_expression) -%}
    trunc({{ date_expression }}, 'MM')
{%- endmacro %}

{#- Last day of the date's month, as a date. -#}
{% macro rcm_month_end(date_expression) -%}
    {{ return(adapter.dispatch('rcm_month_end', 'rcm_warehouse')(date_expression)) }}
{%- endmacro %}

{% macro default__rcm_month_end(date_expression) -%}
    cast({{ dbt.last_day(date_expression, 'month') }} as date)
{%- endmacro %}

{% macro spark__rcm_month_end(date_expression) -%}
    last_day({{ date_expression }})
{%- endmacro %}

{#- Integer division of two non-negative whole numbers (truncated), a whole number: DuckDB's `/` and Spark's `/`
    return doubles, so money split in cents divides with the engine's integer operator instead. -#}
{% macro rcm_integer_divide(numerator, denominator) -%}
    {{ return(adapter.dispatch('rcm_integer_divide', 'rcm_warehouse')(numerator, denominator)) }}
{%- endmacro %}

{% macro default__rcm_integer_divide(numerator, denominator) -%}
    (({{ numerator }}) // ({{ denominator }}))
{%- endmacro %}

{% macro spark__rcm_integer_divide(numerator, denominator) -%}
    (({{ numerator }}) div ({{ denominator }}))
{%- endmacro %}

{#- The larger of two values of the same type, either of which may be null (then the other; null when both are),
    as max() over the two would give. Plain SQL: greatest() returns null on a null argument on some engines. -#}
{% macro rcm_later_of(first, second) -%}
    case
        when ({{ first }}) is null then ({{ second }})
        when ({{ second }}) is null or ({{ second }}) <= ({{ first }}) then ({{ first }})
        else ({{ second }})
    end
{%- endmacro %}

{#- Placed between a CTE's name and its body (`name as {{ rcm_inline() }} (`): the CTE is read where it is used,
    not computed once into a temporary result. DuckDB materializes a CTE that is referenced more than once, and a
    materialized CTE keeps every column of its body: `select * from` a wide table read twice then copies all of
    it instead of the few columns each use needs (int_claim_lines read twice: 5.9 s against 0.6 s at 50
    practices). For import CTEs, whose body is a plain read of a model. Spark needs nothing here. -#}
{% macro rcm_inline() -%}
    {{ return(adapter.dispatch('rcm_inline', 'rcm_warehouse')()) }}
{%- endmacro %}

{% macro default__rcm_inline() -%}
{%- endmacro %}

{% macro duckdb__rcm_inline() -%}
    not materialized
{%- endmacro %}
