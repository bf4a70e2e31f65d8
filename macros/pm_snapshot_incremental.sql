{#- The `pm_snapshot_incremental` materialization (DuckDB): a PM staging table (the current rows of a raw PM table under
    the snapshot rules, macros/pm_snapshot.sql) recomputed only for the natural keys the files loaded since its last
    build can change, equal to a full rebuild (docs/models.md, "Incremental builds": "PM staging").

    A model declares `pm_snapshot` = {source, table, entity, natural_key, date_columns}, the arguments of its one
    `pm_current` call, and keeps the natural key and date columns under their raw names.

    Why it is exact. The row of a key is its latest raw version unless a later full-snapshot export covers that
    version's date on its coverage field; so it depends only on the key's raw rows and on the exports. Since the last
    build, the raw table has gained the rows of new files, and the exports the new files' ranges. A key whose row
    can have changed therefore has a row in a new file (a new version), or has its current row (in this table) at a
    date a new full export covers (it may be dropped now); a key dropped before stays dropped unless a new file lists
    it. Those keys are deleted and computed again from all their raw rows, the rest are kept. Rows deleted from raw
    (forgetting a patient) change an applied file's row count: the whole table is rebuilt, as it is when the state
    is missing, the compiled SQL or the settings changed, or with `--full-refresh`.

    The state, in schema `incremental_state` and in the same transaction as the table: `<model>__files`, the raw
    table's row count per file at the last build (the files applied), `<model>__run` (code hash, mode, counts), and
    the claim log of the claims whose rows were replaced (`claim_column`, default claim_id; macros/claim_log.sql). -#}

{#- Whether the model's SQL is compiled for an incremental run (the same test as rcm_claim_incremental_run). -#}
{% macro rcm_pm_snapshot_incremental_run() -%}
    {{ return(rcm_incremental_run_of('pm_snapshot_incremental')) }}
{%- endmacro %}

{#- The temporary table a run keeps the keys it recomputes in (per connection; named by the model). -#}
{% macro rcm_pm_scope_table() -%}
    temp.main.rcm_pm_scope__{{ this.identifier }}
{%- endmacro %}

{#- A filter on the raw rows read as `relation_alias`: true on a full build, else the keys being recomputed. The
    markers are the claim_incremental ones, so rcm_claim_incremental_full_sql turns it into `true`. -#}
{% macro rcm_pm_scope(relation_alias, natural_key) -%}
    /*rcm_scope*/ {% if rcm_pm_snapshot_incremental_run() -%}
    exists (
        select 1 from {{ rcm_pm_scope_table() }} as scope_keys
        where scope_keys.practice_id = {{ relation_alias }}.practice_id
        {%- for column in natural_key %}
            and scope_keys.{{ column }} is not distinct from {{ relation_alias }}.{{ column }}
        {%- endfor %}
    )
    {%- else -%} true {%- endif %} /*rcm_scope_end*/
{%- endmacro %}

{% materialization pm_snapshot_incremental, adapter='duckdb' %}
    {%- set settings = config.require('pm_snapshot') -%}
    {%- set relations = rcm_incremental_relations() -%}
    {%- set target_relation, existing = relations.target, relations.existing -%}
    {%- set intermediate, backup = relations.intermediate, relations.backup -%}

    {%- set raw_relation = source(settings.source, settings.table) -%}
    {%- set exports = source('pm', 'pm_exports') -%}
    {%- set natural_key = settings.natural_key -%}
    {%- set date_columns = settings.date_columns -%}
    {%- set state = 'incremental_state' -%}
    {%- set files_state = state ~ '."' ~ this.identifier ~ '__files"' -%}
    {%- set run_state = state ~ '."' ~ this.identifier ~ '__run"' -%}
    {%- set scope = rcm_pm_scope_table() -%}
    {%- set now_files = 'temp.main.rcm_pm_files__' ~ this.identifier -%}
    {%- set changed_claims = 'temp.main.rcm_pm_claims__' ~ this.identifier -%}
    {%- set claim_column = config.get('claim_column', 'claim_id') -%}
    {%- set compiled_incremental = '/*rcm_scope*/ exists' in compiled_code -%}
    {%- set full_sql = rcm_claim_incremental_full_sql(compiled_code) -%}
    {#- without the catalog (the warehouse file's name), as claim_incremental hashes: a moved warehouse compares -#}
    {%- set code_hash = local_md5(full_sql | replace('"' ~ this.database ~ '".', '') ~ '|' ~ settings | string) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- do rcm_claim_incremental_exec('create schema if not exists ' ~ state) -%}
    {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ now_files ~ ' as
        select file_id, count(*) as row_count from ' ~ raw_relation ~ ' group by file_id') -%}

    {#- incremental only where the SQL was compiled so, the state matches it, and no applied file lost or gained rows -#}
    {%- set incremental = false -%}
    {%- if compiled_incremental and existing is not none and existing.type == 'table'
        and adapter.get_relation(this.database, state, this.identifier ~ '__run') is not none
        and adapter.get_relation(this.database, state, this.identifier ~ '__files') is not none -%}
        {%- set previous = rcm_claim_incremental_rows('select code_hash from ' ~ run_state) -%}
        {%- if previous | length == 1 and previous[0][0] == code_hash -%}
            {%- set altered = rcm_claim_incremental_rows('select count(*) from ' ~ files_state ~ ' as applied
                left join ' ~ now_files ~ ' as now_files on now_files.file_id = applied.file_id
                where now_files.row_count is distinct from applied.row_count')[0][0] -%}
            {%- set incremental = altered == 0 -%}
        {%- endif -%}
    {%- endif -%}

    {%- if incremental -%}
        {#- the keys a new file lists, and the current keys whose date a new full-snapshot export covers -#}
        {%- set key_columns = ['practice_id'] + natural_key -%}
        {%- set covered = [] -%}
        {%- for column in date_columns -%}
            {%- do covered.append("(later.coverage_field = '" ~ column ~ "' and current_rows." ~ column
                ~ ' between later.coverage_from and later.coverage_to)') -%}
        {%- endfor -%}
        {%- set parts = ['select ' ~ key_columns | join(', ') ~ ' from ' ~ raw_relation ~ ' as new_rows
            where not exists (select 1 from ' ~ files_state ~ ' as applied where applied.file_id = new_rows.file_id)'] -%}
        {%- if covered | length > 0 -%}
            {%- set qualified = [] -%}
            {%- for column in key_columns -%}{%- do qualified.append('current_rows.' ~ column) -%}{%- endfor -%}
            {%- do parts.append('select ' ~ qualified | join(', ') ~ ' from ' ~ target_relation ~ ' as current_rows
            inner join ' ~ exports ~ " as later
                on later.practice_id = current_rows.practice_id
                and later.entity = '" ~ settings.entity ~ "'
                and coalesce(later.snapshot_mode, 'full') = 'full'
                and not exists (select 1 from " ~ files_state ~ ' as applied where applied.file_id = later.file_id)
            where ' ~ covered | join(' or ')) -%}
        {%- endif -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope ~ ' as
            ' ~ parts | join(' union ')) -%}
        {%- set matched = [] -%}
        {%- for column in natural_key -%}
            {%- do matched.append(' and scope_keys.' ~ column ~ ' is not distinct from t.' ~ column) -%}
        {%- endfor -%}
        {%- set in_scope = 'exists (select 1 from ' ~ scope ~ ' as scope_keys
                where scope_keys.practice_id = t.practice_id' ~ matched | join('') ~ ')' -%}
        {#- the claims of the rows replaced, before and after, for the claim log -#}
        {%- set claims_of = 'select practice_id, ' ~ claim_column ~ ' as claim_id from ' ~ target_relation
            ~ ' as t where ' ~ in_scope -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ changed_claims ~ ' as ' ~ claims_of) -%}
        {%- do rcm_claim_incremental_exec('delete from ' ~ target_relation ~ ' as t where ' ~ in_scope) -%}
        {%- do rcm_incremental_write(true, target_relation, intermediate, existing, backup, compiled_code) -%}
        {%- do rcm_claim_incremental_exec('insert into ' ~ changed_claims ~ ' ' ~ claims_of) -%}
        {%- set recomputed = rcm_claim_incremental_rows('select count(*) from ' ~ scope)[0][0] -%}
    {%- else -%}
        {%- do rcm_incremental_write(false, target_relation, intermediate, existing, backup, full_sql) -%}
        {%- set recomputed = none -%}
    {%- endif -%}

    {#- the state for the next run, in the same transaction as the table -#}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ files_state ~ ' as
        select file_id, row_count from ' ~ now_files) -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ run_state ~ " as select
        '" ~ code_hash ~ "' as code_hash, current_timestamp as built_at,
        '" ~ ('incremental' if incremental else 'rebuild') ~ "' as mode,
        (select count(*) from " ~ target_relation ~ ') as rows,
        cast(' ~ (recomputed if recomputed is not none else 'null') ~ ' as bigint) as keys_recomputed') -%}
    {%- do rcm_claim_log_write(incremental, 'select practice_id, claim_id from ' ~ changed_claims) -%}

    {%- do rcm_incremental_finish(incremental, target_relation, existing, backup, [scope, now_files, changed_claims],
        post_hooks) -%}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
