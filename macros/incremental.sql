{#- What the three incremental materializations (DuckDB) share: `claim_incremental`, `pm_snapshot_incremental` and
    `claim_log_incremental` (docs/models.md, "Incremental builds"). Each decides what to recompute in its own way;
    they make, write, check and finish the table alike, and keep their state in schema `incremental_state`. -#}

{#- The schema the incremental materializations keep their state in, made before any model runs (on-run-start):
    two models made at once in a new warehouse, each creating it in its own transaction, conflict on DuckDB. -#}
{% macro rcm_incremental_state_schema() -%}
    {%- if target.type == 'duckdb' -%}create schema if not exists incremental_state{%- endif -%}
{%- endmacro %}

{#- Whether the model's SQL is compiled for an incremental run of `materialization` (one of the three): the same test
    as dbt's is_incremental(). -#}
{% macro rcm_incremental_run_of(materialization) -%}
    {%- if not execute or target.type != 'duckdb' or config.get('materialized') != materialization -%}
        {{ return(false) }}
    {%- endif -%}
    {%- set relation = adapter.get_relation(this.database, this.schema, this.identifier) -%}
    {{ return(relation is not none and relation.type == 'table' and not should_full_refresh()) }}
{%- endmacro %}

{#- The relations an incremental materialization works with: the table, the one there now (a warehouse from before
    the materialization may hold the model as a view: its backup is renamed and dropped as what it is), and where a
    rebuild is made and the old table kept until the commit; leftovers of a stopped run dropped. -#}
{% macro rcm_incremental_relations() -%}
    {%- set target_relation = this.incorporate(type='table') -%}
    {%- set existing = load_cached_relation(this) -%}
    {%- set intermediate = make_intermediate_relation(target_relation) -%}
    {%- set backup = make_backup_relation(target_relation, existing.type if existing is not none else 'table') -%}
    {%- do drop_relation_if_exists(load_cached_relation(intermediate)) -%}
    {%- do drop_relation_if_exists(load_cached_relation(backup)) -%}
    {{ return({'target': target_relation, 'existing': existing, 'intermediate': intermediate, 'backup': backup}) }}
{%- endmacro %}

{#- Fails the build when the model reads a relation its incremental config does not declare: an undeclared input
    could change without the scope knowing. -#}
{% macro rcm_incremental_check_declared(declared, materialization) -%}
    {%- for node in model.depends_on.nodes -%}
        {%- if node.split('.')[-1] not in declared -%}
            {{ exceptions.raise_compiler_error(this.identifier ~ ' reads ' ~ node.split('.')[-1]
                ~ ', which its ' ~ materialization ~ ' config does not declare') }}
        {%- endif -%}
    {%- endfor -%}
{%- endmacro %}

{#- Writes an incremental materialization's rows, inside its transaction: on an incremental run the rows of `sql`
    inserted into the table (the caller deleted the rows they replace), else the whole table built beside it and
    swapped in; the caller drops `backup`, the old table, after its commit. -#}
{% macro rcm_incremental_write(incremental, target_relation, intermediate, existing, backup, sql) -%}
    {%- if incremental -%}
        {%- call statement('main') -%}
            insert into {{ target_relation }} by name select * from ({{ sql }})
        {%- endcall -%}
    {%- else -%}
        {%- call statement('main') -%}
            {{ create_table_as(False, intermediate, sql) }}
        {%- endcall -%}
        {%- if existing is not none -%}
            {%- do adapter.rename_relation(existing, backup) -%}
        {%- endif -%}
        {%- do adapter.rename_relation(intermediate, target_relation) -%}
    {%- endif -%}
{%- endmacro %}

{#- Ends an incremental materialization: its docs and in-transaction hooks, the commit (the table with its state and
    log), then the old table and the temporary tables dropped and the other hooks run. -#}
{% macro rcm_incremental_finish(incremental, target_relation, existing, backup, temporary, post_hooks) -%}
    {%- do persist_docs(target_relation, model) -%}
    {%- do run_hooks(post_hooks, inside_transaction=True) -%}
    {%- do adapter.commit() -%}
    {%- if not incremental and existing is not none -%}
        {%- do adapter.drop_relation(backup) -%}
    {%- endif -%}
    {%- for table in temporary -%}
        {%- do run_query('drop table if exists ' ~ table) -%}
    {%- endfor -%}
    {%- do run_hooks(post_hooks, inside_transaction=False) -%}
{%- endmacro %}
