{#- The `claim_log_incremental` materialization (DuckDB): a claim-partitioned table recomputed only for the claims its
    inputs changed since its last build, found from the inputs' claim logs and from the files loaded since, without
    hashing any input row (docs/models.md, "Incremental builds": "Claim logs"). Equal to a full rebuild when every
    output row of a claim reads only that claim's rows of the inputs (the rule of claim_incremental).

    A model declares every relation it reads, each in one of:
      claim_inputs       {model: claim column}: models that keep a claim log (pm_snapshot_incremental,
                         claim_log_incremental); the claims they logged since this model took them in are recomputed
      file_claim_inputs  {model: claim column}: models over a raw table (file_id on every row) that only loads add
                         to; the claims of the rows of files this model has not taken in are recomputed
      file_inputs        [models]: rows that arrive only in files whose claims an input names as changed, through
                         a file_claim_input or a claim input's log, and belong to a claim of that file (an 835's
                         service lines beside its claims)
      global_inputs      [models]: small relations every claim reads, fingerprinted whole; a change rebuilds
    and the output's claim column (`claim_column`, default claim_id). The model's SQL reads each claim input and file
    claim input through rcm_claim_log_scope(alias, claim column): `true` on a full build, else only the claims
    recomputed.

    A rebuild (into a new table, swapped in) when there is no state, the compiled SQL (scope filters aside), the
    settings or a global input changed, an input was rebuilt or its log no longer holds the build this model took
    in, a file this model took in has lost or gained rows (a patient forgotten), or with `--full-refresh`. The
    state (`<model>__run`, `__consumed`, `__files`) and this model's own claim log (the claims whose rows came out
    different, macros/claim_log.sql) commit with the table. -#}

{% macro rcm_claim_log_incremental_run() -%}
    {{ return(rcm_incremental_run_of('claim_log_incremental')) }}
{%- endmacro %}

{% macro rcm_claim_log_scope_table() -%}
    temp.main.rcm_cl_scope__{{ this.identifier }}
{%- endmacro %}

{#- A filter on a claim input read as `relation_alias`: true on a full build, else the claims being recomputed. The
    markers are claim_incremental's, so rcm_claim_incremental_full_sql makes it `true`. -#}
{% macro rcm_claim_log_scope(relation_alias, claim_column='claim_id') -%}
    /*rcm_scope*/ {% if rcm_claim_log_incremental_run() -%}
    exists (
        select 1 from {{ rcm_claim_log_scope_table() }} as scope_claims
        where scope_claims.practice_id = {{ relation_alias }}.practice_id
            and scope_claims.claim_id is not distinct from {{ relation_alias }}.{{ claim_column }}
    )
    {%- else -%} true {%- endif %} /*rcm_scope_end*/
{%- endmacro %}

{% materialization claim_log_incremental, adapter='duckdb' %}
    {%- set relations = rcm_incremental_relations() -%}
    {%- set target_relation, existing = relations.target, relations.existing -%}
    {%- set intermediate, backup = relations.intermediate, relations.backup -%}

    {%- set claim_inputs = config.get('claim_inputs', {}) -%}
    {%- set file_claim_inputs = config.get('file_claim_inputs', {}) -%}
    {%- set file_inputs = config.get('file_inputs', []) -%}
    {%- set global_inputs = config.get('global_inputs', []) -%}
    {%- set claim_column = config.get('claim_column', 'claim_id') -%}
    {%- set declared = claim_inputs.keys() | list + file_claim_inputs.keys() | list + file_inputs + global_inputs -%}
    {%- do rcm_incremental_check_declared(declared, 'claim_log_incremental') -%}

    {%- set name = this.identifier -%}
    {%- set run_state = rcm_claim_log_relation(name, 'run') -%}
    {%- set files_state = rcm_claim_log_relation(name, 'files') -%}
    {%- set scope = rcm_claim_log_scope_table() -%}
    {%- set now_files = 'temp.main.rcm_cl_files__' ~ name -%}
    {%- set compiled_incremental = '/*rcm_scope*/ exists' in compiled_code -%}
    {%- set full_sql = rcm_claim_incremental_full_sql(compiled_code) -%}
    {%- set settings = [claim_inputs, file_claim_inputs, file_inputs, global_inputs, claim_column] -%}
    {%- set code_hash = local_md5(full_sql | replace('"' ~ this.database ~ '".', '') ~ '|' ~ settings | string) -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {%- set global_parts = ["select '' as input, 0 as n, 0 as h"] -%}
    {%- for input in global_inputs -%}
        {%- do global_parts.append("select '" ~ input ~ "', count(*), sum(hash(t)) from " ~ ref(input) ~ ' as t') -%}
    {%- endfor -%}
    {%- set global_fingerprint = rcm_claim_incremental_rows(
        "select string_agg(input || ':' || n || ':' || coalesce(h, 0), ',' order by input) from ("
        ~ global_parts | join(' union all ') ~ ')')[0][0] -%}

    {%- set file_parts = ['select cast(null as varchar) as input, cast(null as bigint) as file_id,
        cast(null as bigint) as row_count where false'] -%}
    {%- for input in file_claim_inputs -%}
        {%- do file_parts.append("select '" ~ input ~ "', file_id, count(*) from " ~ ref(input) ~ ' group by file_id') -%}
    {%- endfor -%}
    {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ now_files ~ ' as '
        ~ file_parts | join(' union all ')) -%}

    {#- what each claim input holds now, and whether this model can follow it from the build it took in last -#}
    {%- set has_state = existing is not none and existing.type == 'table'
        and adapter.get_relation(this.database, 'incremental_state', name ~ '__run') is not none
        and adapter.get_relation(this.database, 'incremental_state', name ~ '__consumed') is not none
        and adapter.get_relation(this.database, 'incremental_state', name ~ '__files') is not none -%}
    {%- set logs = rcm_claim_log_inputs(claim_inputs, has_state) -%}

    {%- set incremental = false -%}
    {%- if compiled_incremental and has_state and logs.unfollowable | length == 0 -%}
        {%- set previous = rcm_claim_incremental_rows('select code_hash, global_fingerprint from ' ~ run_state) -%}
        {%- if previous | length == 1 and previous[0][0] == code_hash and previous[0][1] == global_fingerprint -%}
            {%- set altered = rcm_claim_incremental_rows('select count(*) from ' ~ files_state ~ ' as applied
                left join ' ~ now_files ~ ' as now_files
                    on now_files.input = applied.input and now_files.file_id = applied.file_id
                where now_files.row_count is distinct from applied.row_count')[0][0] -%}
            {%- set incremental = altered == 0 -%}
        {%- endif -%}
    {%- endif -%}

    {%- if incremental -%}
        {#- the claims the inputs logged since this model took them in, and those of the files it has not taken in -#}
        {%- set parts = ['select cast(null as varchar) as practice_id, cast(null as varchar) as claim_id where false'] -%}
        {%- for input in claim_inputs -%}
            {%- do parts.append(rcm_claim_log_since_sql(input, logs)) -%}
        {%- endfor -%}
        {%- for input, column in file_claim_inputs.items() -%}
            {%- do parts.append('select practice_id, ' ~ column ~ ' from ' ~ ref(input) ~ ' as t
                where not exists (select 1 from ' ~ files_state ~ " as applied
                    where applied.input = '" ~ input ~ "' and applied.file_id = t.file_id)") -%}
        {%- endfor -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope ~ ' as ' ~ parts | join(' union ')) -%}
        {%- do rcm_claim_log_delete(claim_column, scope) -%}
        {%- do rcm_incremental_write(true, target_relation, intermediate, existing, backup,
            rcm_claim_log_new_rows(compiled_code)) -%}
        {%- set recomputed = rcm_claim_incremental_rows('select count(*) from ' ~ scope)[0][0] -%}
    {%- else -%}
        {%- do rcm_incremental_write(false, target_relation, intermediate, existing, backup, full_sql) -%}
        {%- set recomputed = none -%}
    {%- endif -%}

    {#- the state for the next run and this build's claim log, in the same transaction as the table -#}
    {%- do rcm_claim_log_consumed_write(logs) -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ files_state ~ ' as
        select input, file_id, row_count from ' ~ now_files) -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ run_state ~ " as select
        '" ~ code_hash ~ "' as code_hash, '" ~ global_fingerprint | replace("'", "''") ~ "' as global_fingerprint,
        current_timestamp as built_at, '" ~ ('incremental' if incremental else 'rebuild') ~ "' as mode,
        (select count(*) from " ~ target_relation ~ ') as rows,
        cast(' ~ (recomputed if recomputed is not none else 'null') ~ ' as bigint) as claims_recomputed,
        ' ~ "'" ~ logs.unfollowable | join(', ') ~ "' as inputs_not_followed") -%}
    {%- do rcm_claim_log_write(incremental, rcm_claim_log_changed_sql(claim_column)) -%}

    {%- do rcm_incremental_finish(incremental, target_relation, existing, backup,
        [scope, now_files, rcm_claim_log_table('before'), rcm_claim_log_table('after')], post_hooks) -%}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
