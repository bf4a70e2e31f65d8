{#- Claim logs: what an incrementally built table changed, claim by claim, for the tables built from it
    (docs/models.md, "Incremental builds": "Claim logs").

    A model built by `pm_snapshot_incremental`, `claim_log_incremental` or an undated `claim_incremental` keeps, in
    schema `incremental_state`:
      <model>__builds   one row per build: build_seq (1, 2, …), build_id (random: a log made again from nothing
                        reuses numbers, never ids), mode ('incremental' or 'rebuild'), built_at
      <model>__log      per incremental build, the claims whose rows it changed (build_seq, practice_id, claim_id):
                        for a PM staging table the claims of the rows it replaced, before and after (a re-exported
                        row carries its new file, so it differs); for the others the claims it recomputed whose
                        rows came out different (rcm_claim_log_changed_sql)
    written in the same transaction as the table. A reader remembers the last build of each input it has taken in
    (its build_seq and build_id); the claims its inputs logged since are the claims it recomputes. An input rebuilt
    since, or whose log no longer holds that build, leaves nothing to go by: the reader is rebuilt whole. -#}

{#- Builds a log keeps: a reader more than this many builds behind an input is rebuilt (a daily run reads each
    input once; the margin covers partial runs of the inputs alone). At 50 practices a day logs about 135,000
    claims per table read. -#}
{% macro rcm_claim_log_kept_builds() -%}{{ return(10) }}{%- endmacro %}

{#- The models that read `model_name`'s claim log, from the whole project's graph whatever the run selects. -#}
{% macro rcm_claim_log_readers(model_name) -%}
    {%- set readers = [] -%}
    {%- for node in graph.nodes.values() if node.resource_type == 'model' -%}
        {%- if rcm_claim_log_follows(node, model_name) -%}
            {%- do readers.append(node.name) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(readers) }}
{%- endmacro %}

{#- Whether model `node` follows the claim log of its claim input `input_name` instead of fingerprinting it. A
    claim_log_incremental model follows every claim input. A claim_incremental model follows an input other than its
    dated one that keeps a log (a PM staging table, a claim-log table, an undated claim_incremental model) when it
    reads it by the column the log names claims by; it fingerprints the others. -#}
{% macro rcm_claim_log_follows(node, input_name) -%}
    {%- set claim_inputs = node.config.get('claim_inputs') or {} -%}
    {%- if input_name not in claim_inputs -%}{{ return(false) }}{%- endif -%}
    {%- if node.config.materialized == 'claim_log_incremental' -%}{{ return(true) }}{%- endif -%}
    {%- if node.config.materialized != 'claim_incremental'
        or (node.config.get('dated_input') or {}).get('model') == input_name -%}
        {{ return(false) }}
    {%- endif -%}
    {%- for input in graph.nodes.values() if input.resource_type == 'model' and input.name == input_name -%}
        {%- set logged = input.config.materialized in ['claim_log_incremental', 'pm_snapshot_incremental']
            or (input.config.materialized == 'claim_incremental' and input.config.get('dated_input') is none) -%}
        {{ return(logged and input.config.get('claim_column', 'claim_id') == claim_inputs[input_name]) }}
    {%- endfor -%}
    {{ return(false) }}
{%- endmacro %}

{% macro rcm_claim_log_relation(model_name, kind) -%}
    incremental_state."{{ model_name }}__{{ kind }}"
{%- endmacro %}

{#- Records this build of `this` in its log, inside the caller's transaction: `claims_sql` selects (practice_id,
    claim_id) of every claim whose rows changed; none for a rebuild, whose readers then rebuild. The claims are
    kept only when a model reads the log: a reader added later rebuilds once (it has taken in no build), and by
    then the log is kept. -#}
{% macro rcm_claim_log_write(incremental, claims_sql=none) -%}
    {%- set builds = rcm_claim_log_relation(this.identifier, 'builds') -%}
    {%- set log = rcm_claim_log_relation(this.identifier, 'log') -%}
    {%- do rcm_claim_incremental_exec('create table if not exists ' ~ builds ~ '
        (build_seq bigint not null, build_id uuid not null, mode varchar not null,
            built_at timestamp with time zone not null)') -%}
    {%- do rcm_claim_incremental_exec('create table if not exists ' ~ log ~ '
        (build_seq bigint not null, practice_id varchar, claim_id varchar)') -%}
    {%- set seq = rcm_claim_incremental_rows('select coalesce(max(build_seq), 0) + 1 from ' ~ builds)[0][0] -%}
    {%- do rcm_claim_incremental_exec('insert into ' ~ builds ~ ' values (' ~ seq ~ ", uuid(), '"
        ~ ('incremental' if incremental else 'rebuild') ~ "', current_timestamp)") -%}
    {%- if incremental and rcm_claim_log_kept() -%}
        {%- do rcm_claim_incremental_exec('insert into ' ~ log ~ ' select distinct ' ~ seq ~ ', practice_id, claim_id
            from (' ~ claims_sql ~ ')') -%}
    {%- endif -%}
    {%- set oldest = seq - rcm_claim_log_kept_builds() -%}
    {%- do rcm_claim_incremental_exec('delete from ' ~ log ~ ' where build_seq <= ' ~ oldest) -%}
    {%- do rcm_claim_incremental_exec('delete from ' ~ builds ~ ' where build_seq <= ' ~ oldest) -%}
{%- endmacro %}

{#- Whether `this` keeps the claims of its builds in its log: some model follows it. -#}
{% macro rcm_claim_log_kept() -%}
    {{ return(rcm_claim_log_readers(this.identifier) | length > 0) }}
{%- endmacro %}

{% macro rcm_claim_log_table(kind) -%}
    temp.main.rcm_log_{{ kind }}__{{ this.identifier }}
{%- endmacro %}

{#- A row's hash over the table's columns, by name (the new rows' query may list them in another order). -#}
{% macro rcm_claim_log_row_hash(alias) -%}
    {%- set columns = [] -%}
    {%- for column in adapter.get_columns_in_relation(this) -%}
        {%- do columns.append(alias ~ '.' ~ adapter.quote(column.name)) -%}
    {%- endfor -%}
    hash({{ columns | join(', ') }})
{%- endmacro %}

{#- Deletes, inside the caller's transaction, the rows of the claims of `scope` (a table of practice_id, claim_id)
    that a build recomputes. When `this` keeps a log, each deleted row's hash is kept first, with its rowid, and the
    rows are then deleted by rowid: one scan of the table finds them for both (a second semi-join would scan it
    again). -#}
{% macro rcm_claim_log_delete(claim_column, scope) -%}
    {%- set of_scope = 'exists (select 1 from ' ~ scope ~ ' as scope_claims
        where scope_claims.practice_id = t.practice_id
            and scope_claims.claim_id is not distinct from t.' ~ claim_column ~ ')' -%}
    {%- if rcm_claim_log_kept() -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ rcm_claim_log_table('before') ~ ' as
            select t.rowid as row_id, t.practice_id, t.' ~ claim_column ~ ' as claim_id, '
                ~ rcm_claim_log_row_hash('t') ~ ' as row_hash
            from ' ~ this ~ ' as t where ' ~ of_scope) -%}
        {%- do rcm_claim_incremental_exec('delete from ' ~ this ~ ' where rowid in (select row_id from '
            ~ rcm_claim_log_table('before') ~ ')') -%}
    {%- else -%}
        {%- do rcm_claim_incremental_exec('delete from ' ~ this ~ ' as t where ' ~ of_scope) -%}
    {%- endif -%}
{%- endmacro %}

{#- The query whose rows a build inserts: when `this` keeps a log, they are made into a temporary table first, so
    their hashes are taken from it rather than from the whole table again. -#}
{% macro rcm_claim_log_new_rows(sql) -%}
    {%- if rcm_claim_log_kept() -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ rcm_claim_log_table('after') ~ ' as ' ~ sql) -%}
        {{ return('select * from ' ~ rcm_claim_log_table('after')) }}
    {%- endif -%}
    {{ return(sql) }}
{%- endmacro %}

{#- The claims a build recomputed whose rows changed (after rcm_claim_log_delete and rcm_claim_log_new_rows):
    recomputed is not changed. At 50 practices a day's re-exported charges recompute 133,000 claims' lines, of
    which about a hundred come out different; a reader then recomputes those alone. A claim whose rows are the same
    as before cannot change any reader's rows (the rule that makes readers exact), so leaving it out of the log is
    exact too; two different row sets of a claim agree with odds of about 2^-64 (the sum of 64-bit hashes and the
    count), as claim_incremental's fingerprints do. -#}
{% macro rcm_claim_log_changed_sql(claim_column) -%}
    select coalesce(before_rows.practice_id, after_rows.practice_id) as practice_id,
        coalesce(before_rows.claim_id, after_rows.claim_id) as claim_id
    from (select practice_id, claim_id, sum(row_hash) as row_hash, count(*) as row_count
        from {{ rcm_claim_log_table('before') }} group by all) as before_rows
    full join (select t.practice_id, t.{{ claim_column }} as claim_id, sum({{ rcm_claim_log_row_hash('t') }}) as row_hash,
            count(*) as row_count
        from {{ rcm_claim_log_table('after') }} as t group by all) as after_rows
        on after_rows.practice_id = before_rows.practice_id and after_rows.claim_id is not distinct from before_rows.claim_id
    where after_rows.row_hash is distinct from before_rows.row_hash
        or after_rows.row_count is distinct from before_rows.row_count
{%- endmacro %}

{#- The claim inputs `this` follows (their logs): for each, its last build now and whether `this` can follow it from
    the build it took in last, as kept in `<model>__consumed` (read when `has_state`). An input without a log yet (a
    warehouse from before logs, the input not built since) cannot be followed and nothing is kept for it, so the
    next build rebuilds again until the input has a log. -#}
{% macro rcm_claim_log_inputs(inputs, has_state) -%}
    {%- set consumed = {} -%}
    {%- if has_state and adapter.get_relation(this.database, 'incremental_state', this.identifier ~ '__consumed')
        is not none -%}
        {%- for row in rcm_claim_incremental_rows('select input, build_seq, build_id::varchar from '
            ~ rcm_claim_log_relation(this.identifier, 'consumed')) -%}
            {%- do consumed.update({row[0]: {'seq': row[1], 'id': row[2]}}) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set now = {} -%}
    {%- set unfollowable = [] -%}
    {%- for input in inputs -%}
        {%- set input_state = rcm_claim_log_state(input, consumed.get(input)) -%}
        {%- if input_state['last'] is not none -%}{%- do now.update({input: input_state['last']}) -%}{%- endif -%}
        {%- if not input_state['followable'] -%}{%- do unfollowable.append(input) -%}{%- endif -%}
    {%- endfor -%}
    {{ return({'consumed': consumed, 'now': now, 'unfollowable': unfollowable}) }}
{%- endmacro %}

{#- The claims `input` logged since the build `this` took in last (`followed`: what rcm_claim_log_inputs returned). -#}
{% macro rcm_claim_log_since_sql(input, followed) -%}
    select practice_id, claim_id from {{ rcm_claim_log_relation(input, 'log') }}
    where build_seq > {{ followed.consumed[input].seq }}
{%- endmacro %}

{#- Keeps, for the next build and in the caller's transaction, the last build of each input `this` took in. -#}
{% macro rcm_claim_log_consumed_write(followed) -%}
    {%- set rows = ['select cast(null as varchar) as input, cast(null as bigint) as build_seq,
        cast(null as uuid) as build_id where false'] -%}
    {%- for input, last in followed.now.items() -%}
        {%- do rows.append("select '" ~ input ~ "', " ~ last.seq ~ ", '" ~ last.id ~ "'::uuid") -%}
    {%- endfor -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ rcm_claim_log_relation(this.identifier, 'consumed')
        ~ ' as ' ~ rows | join(' union all ')) -%}
{%- endmacro %}

{#- The last build of `input` ({'seq', 'id'}; none when it has no log), and whether a reader that took in its builds
    up to `consumed` ({'seq', 'id'}, or none) can follow it incrementally: that build is still in the log, under the
    same id, and no rebuild came after it. The catalog is asked, not dbt's relation cache, which does not see a log
    written earlier in the same run. -#}
{% macro rcm_claim_log_state(input, consumed) -%}
    {%- set tables = rcm_claim_incremental_rows("select count(*) from duckdb_tables()
        where database_name = '" ~ this.database ~ "' and schema_name = 'incremental_state'
            and table_name in ('" ~ input ~ "__builds', '" ~ input ~ "__log')")[0][0] -%}
    {%- if tables != 2 -%}
        {{ return({'last': none, 'followable': false}) }}
    {%- endif -%}
    {%- set builds = rcm_claim_log_relation(input, 'builds') -%}
    {%- set last = rcm_claim_incremental_rows('select build_seq, build_id::varchar from ' ~ builds
        ~ ' order by build_seq desc limit 1') -%}
    {%- if last | length == 0 -%}
        {{ return({'last': none, 'followable': false}) }}
    {%- endif -%}
    {%- set followable = false -%}
    {%- if consumed is not none -%}
        {%- set check = rcm_claim_incremental_rows('select
                count(*) filter (where build_seq = ' ~ consumed.seq ~ " and build_id::varchar = '" ~ consumed.id ~ "'),
                count(*) filter (where build_seq > " ~ consumed.seq ~ " and mode = 'rebuild')
            from " ~ builds)[0] -%}
        {%- set followable = check[0] == 1 and check[1] == 0 -%}
    {%- endif -%}
    {{ return({'last': {'seq': last[0][0], 'id': last[0][1]}, 'followable': followable}) }}
{%- endmacro %}

