{#- A model's `not_null` constraints checked by one query over the built relation, for the relations whose engine
    does not keep them: Parquet tables on Spark (spark__persist_constraints) and the marts that are views on DuckDB
    (their post-hook, rcm_check_view_not_null). A null fails the model, naming its columns, as the constraint fails a DuckDB table. -#}
{% macro rcm_assert_not_null_constraints(relation, model) -%}
    {%- set not_null = [] -%}
    {%- for name in model.columns -%}
        {%- for constraint in model.columns[name].get('constraints', []) -%}
            {%- if constraint.type == 'not_null' -%}{%- do not_null.append(name) -%}{%- endif -%}
        {%- endfor -%}
    {%- endfor -%}
    {%- if not_null | length > 0 -%}
        {%- set checks = [] -%}
        {%- for name in not_null -%}
            {%- do checks.append('sum(case when ' ~ name ~ ' is null then 1 else 0 end) as ' ~ name) -%}
        {%- endfor -%}
        {%- set counts = run_query('select ' ~ checks | join(', ') ~ ' from ' ~ relation) -%}
        {%- set failed = [] -%}
        {%- for name in not_null -%}
            {%- if (counts.rows[0][loop.index0] or 0) > 0 -%}{%- do failed.append(name) -%}{%- endif -%}
        {%- endfor -%}
        {%- if failed | length > 0 -%}
            {{ exceptions.raise_compiler_error(
                'not_null constraint violated in ' ~ relation ~ ': ' ~ failed | join(', ')) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}

{#- The post-hook of a view mart: its not_null constraints checked once the view exists (no-op as a table, where
    the engine or spark__persist_constraints checks them). Returns no SQL. -#}
{% macro rcm_check_view_not_null() -%}
    {%- if execute and config.get('materialized') == 'view' -%}
        {%- do rcm_assert_not_null_constraints(this, model) -%}
    {%- endif -%}
{%- endmacro %}
