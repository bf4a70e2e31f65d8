{#- The raw layer on an engine other than DuckDB. DuckDB's dbt reads `raw` from the warehouse file the ETL writes;
    Spark reads the Parquet export of that layer (`rcm export-raw --out DIR`, docs/spark.md). Before each run
    (on-run-start) this declares every dbt source as an external Parquet table over DIR/<table>, partitioned by
    practice_id where the export is; the files' own schema gives the columns, so DECIMAL(18,2) stays decimal.
    DIR is RCM_RAW_PARQUET: a local folder for a local session, a path every executor reaches on a cluster
    (hdfs://…, s3a://…). Dropping such a table drops the declaration only, never the files. -#}
{% macro rcm_declare_raw_sources() -%}
    {{ return(adapter.dispatch('rcm_declare_raw_sources', 'rcm_warehouse')()) }}
{%- endmacro %}

{% macro default__rcm_declare_raw_sources() -%}
{%- endmacro %}

{% macro spark__rcm_declare_raw_sources() -%}
    {%- if execute -%}
        {%- set raw_dir = env_var('RCM_RAW_PARQUET', '') | trim -%}
        {%- if raw_dir == '' -%}
            {{ exceptions.raise_compiler_error(
                "The spark target reads the raw layer from Parquet: set RCM_RAW_PARQUET to the folder "
                ~ "`rcm export-raw --out DIR` wrote (docs/spark.md).") }}
        {%- endif -%}
        {%- set declared = [] -%}
        {%- for source in graph.sources.values() | sort(attribute='unique_id') -%}
            {%- set relation = source.schema ~ '.' ~ source.identifier -%}
            {%- if relation not in declared -%}
                {%- do declared.append(relation) -%}
                {%- do run_query('create database if not exists ' ~ source.schema) -%}
                {%- do run_query('drop table if exists ' ~ relation) -%}
                {%- do run_query(
                    'create table ' ~ relation ~ ' using parquet location '
                    ~ "'" ~ raw_dir.rstrip('/') ~ '/' ~ source.identifier ~ "'") -%}
            {%- endif -%}
        {%- endfor -%}
        {{ log('declared ' ~ declared | length ~ ' raw tables over ' ~ raw_dir, info=true) }}
    {%- endif -%}
{%- endmacro %}
