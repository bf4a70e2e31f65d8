{#- On DuckDB every raw table is named without its catalog (the warehouse file's name): a view that reads one, as
    staging's do, then resolves in whichever catalog holds the view, so a copy of the file attached under another
    name (or opened as another file name) still reads its own raw tables. Marts views such as claim_fact_origins
    read staging views, and the report build opens the file by its own name. A unit test's mocked source is not a
    relation and passes through unchanged. -#}
{% macro source(source_name, table_name) -%}
    {%- set relation = builtins.source(source_name, table_name) -%}
    {%- if target.type == 'duckdb' and relation.include is defined -%}
        {{ return(relation.include(database=False)) }}
    {%- endif -%}
    {{ return(relation) }}
{%- endmacro %}
