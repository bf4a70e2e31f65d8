{#- Where dbt-spark needs help to run this project as DuckDB does. Both override dbt's own dispatched macros for
    Spark only (a `spark__` macro in the project wins over the adapter's); DuckDB is untouched. -#}

{#- Type names as the YAML writes them (the DuckDB spelling) in Spark's: `varchar` without a length is not a Spark
    type, `string` is. Used for model contracts, whose declared types are cast to check them. -#}
{% macro rcm_spark_type(data_type) -%}
    {%- set normalized = (data_type or '') | trim | lower -%}
    {%- if normalized in ('varchar', 'text', 'string') or normalized.startswith('varchar(') -%}
        string
    {%- else -%}
        {{ data_type }}
    {%- endif -%}
{%- endmacro %}

{% macro spark__get_empty_schema_sql(columns) -%}
    {%- set translated = {} -%}
    {%- for name in columns -%}
        {%- set column = columns[name].copy() -%}
        {%- if column.get('data_type') is not none -%}
            {%- do column.update({'data_type': rcm_spark_type(column['data_type'])}) -%}
        {%- endif -%}
        {%- do translated.update({name: column}) -%}
    {%- endfor -%}
    {{ return(default__get_empty_schema_sql(translated)) }}
{%- endmacro %}

{#- Seeds as literals. dbt-spark's session method substitutes bindings without escaping (a quote in "New Year's
    Day" breaks the insert) and writes a missing value as the text 'None'; here every value is a typed literal,
    escaped, and a missing one is null. Numbers stay decimal text, never a float. -#}
{% macro spark__load_csv_rows(model, agate_table) -%}
    {%- set batch_size = get_batch_size() -%}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set types = [] -%}
    {%- for column_name in agate_table.column_names -%}
        {%- do types.append(column_override.get(column_name, adapter.convert_type(agate_table, loop.index0))) -%}
    {%- endfor -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(batch_size) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                ({%- for value in row -%}
                    {%- if value is none -%}
                        cast(null as {{ types[loop.index0] }})
                    {%- elif value is sameas true or value is sameas false -%}
                        cast({{ 'true' if value else 'false' }} as {{ types[loop.index0] }})
                    {%- else -%}
                        cast('{{ value | string | replace("\\", "\\\\") | replace("'", "\\'") }}' as {{ types[loop.index0] }})
                    {%- endif -%}
                    {%- if not loop.last -%}, {% endif -%}
                {%- endfor -%})
                {%- if not loop.last %},{% endif %}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.index0 == 0 -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0]) }}
{%- endmacro %}

{#- Contracts on Parquet tables. Spark stores constraints on Delta tables only, and dbt-spark takes a table without
    a file_format for Delta; here a Parquet table's not_null constraints are checked once it is written, so a
    null fails the run on Spark as the constraint fails it on DuckDB. -#}
{% macro spark__persist_constraints(relation, model) -%}
    {%- set contract_config = config.get('contract') -%}
    {%- if contract_config.enforced -%}
        {%- if config.get('file_format') in ('delta', 'iceberg') -%}
            {%- do alter_table_add_constraints(relation, model.constraints) -%}
            {%- do alter_column_set_constraints(relation, model.columns) -%}
        {%- else -%}
            {%- do rcm_assert_not_null_constraints(relation, model) -%}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
