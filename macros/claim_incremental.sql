{#- The `claim_incremental` materialization (DuckDB): a claim-partitioned table rebuilt only where its inputs
    changed, equal to a full rebuild (docs/models.md, "Incremental builds": why it is exact, what a model must satisfy).

    A model declares the relations it reads:
      claim_inputs   {model name: claim column}: every row belongs to one claim (practice_id + that column;
                     a null claim is a claim of its own)
      dated_input    {'model': name, 'date': column}: one of claim_inputs whose rows are also dated, at most
                     one row set per claim and date (e.g. int_ar_snapshots)
      date_set       {'model': name, 'date': column, 'volatile': condition}: the dates the dated input has rows for,
                     per practice; `volatile` marks the dates whose rows may change from run to run (default: each
                     practice's latest date)
      global_inputs  [model names]: small relations every claim reads; any change rebuilds the whole table
    and the output's own date and claim columns (`date_column`; `claim_column`, default claim_id). An output row (claim, date) may read only its claim's rows
    of the undated inputs and its claim's dated rows at that date; refs it does not declare fail the build.
    An undated model (e.g. int_claim_ledger) declares none of dated_input, date_set and date_column: its rows
    are the claim's, whatever their dates, and only the changed claims are recomputed.

    An input that keeps a claim log (a PM staging table, a claim-log table, an undated claim_incremental model such
    as the ledger; macros/claim_log.sql), read by the column its log names claims by, is not hashed: the claims it
    logged since this model took it in are recomputed, as claim_log_incremental does (rcm_claim_log_follows). An
    input rebuilt since, or whose log no longer holds the build taken in, rebuilds this model.

    Each run fingerprints the other inputs per claim (the sum of a hash of every row over the columns the model
    reads of it, and the row count; rcm_claim_incremental_read_columns) and compares them with the fingerprints
    kept in schema `incremental_state`; the rows of the claims whose fingerprint changed, or that a followed input
    logged, are deleted and computed again, and so are all claims' rows at the dates the last run did not
    fingerprint: new dates, and the volatile ones (`date_set.volatile`: for A/R the as-of date, which moves every
    day, and the month end after it, whose rows grow until the month has passed). The model's
    SQL reads its inputs through rcm_claim_scope / rcm_claim_date_scope, which keep only those rows. Everything
    happens in one transaction, the state with the table. A missing state, a changed compiled SQL, a changed
    global input or a vanished date rebuild the whole table, as does `--full-refresh`. -#}

{#- Whether the model's SQL is compiled for an incremental run (macros/incremental.sql). -#}
{% macro rcm_claim_incremental_run() -%}
    {{ return(rcm_incremental_run_of('claim_incremental')) }}
{%- endmacro %}

{#- The temporary tables a run keeps its scope in (per connection; named by the model). -#}
{% macro rcm_claim_scope_table(kind) -%}
    temp.main.rcm_ci_{{ kind }}__{{ this.identifier }}
{%- endmacro %}

{#- A filter on an undated claim input read as `relation_alias`: true on a full build, else only the claims being
    recomputed. The columns are qualified by the alias (inside the subquery a bare name would be the scope table's
    own). The markers let the materialization hash the SQL the same way in both modes. -#}
{% macro rcm_claim_scope(relation_alias, claim_column='claim_id') -%}
    {%- set practice_column = relation_alias ~ '.practice_id' -%}
    {%- set claim_column = relation_alias ~ '.' ~ claim_column -%}
    /*rcm_scope*/ {% if rcm_claim_incremental_run() -%}
    exists (
        select 1 from {{ rcm_claim_scope_table('claims') }} as scope_claims
        where scope_claims.practice_id = {{ practice_column }}
            and scope_claims.claim_id is not distinct from {{ claim_column }}
    )
    {%- else -%} true {%- endif %} /*rcm_scope_end*/
{%- endmacro %}

{#- A filter on the dated input read as `relation_alias`: the changed claims at every date, and every claim at the
    dates recomputed. -#}
{% macro rcm_claim_date_scope(relation_alias, date_column, claim_column='claim_id') -%}
    {%- set practice_column = relation_alias ~ '.practice_id' -%}
    {%- set claim_column = relation_alias ~ '.' ~ claim_column -%}
    {%- set date_column = relation_alias ~ '.' ~ date_column -%}
    /*rcm_scope*/ {% if rcm_claim_incremental_run() -%}
    (
        exists (
            select 1 from {{ rcm_claim_scope_table('changed') }} as changed_claims
            where changed_claims.practice_id = {{ practice_column }}
                and changed_claims.claim_id is not distinct from {{ claim_column }}
        )
        or exists (
            select 1 from {{ rcm_claim_scope_table('dates') }} as scope_dates
            where scope_dates.practice_id = {{ practice_column }}
                and scope_dates.scope_date = {{ date_column }}
        )
    )
    {%- else -%} true {%- endif %} /*rcm_scope_end*/
{%- endmacro %}

{#- The compiled SQL as a full build compiles it, so a full and an incremental compile hash the same, and without
    the warehouse's catalog, which is its file's name: the file copied, restored or moved under another name is the
    same warehouse, and its next run compares fingerprints instead of rebuilding. -#}
{% macro rcm_claim_incremental_code_hash(code) -%}
    {%- set settings = [config.get('claim_inputs'), config.get('dated_input'), config.get('date_set'),
        config.get('global_inputs'), config.get('date_column')] -%}
    {%- set sql = rcm_claim_incremental_full_sql(code) | replace('"' ~ this.database ~ '".', '') -%}
    {{ return(local_md5(sql ~ '|' ~ settings | string)) }}
{%- endmacro %}

{#- The compiled SQL with every scope filter `true`: the full build's query, whatever this run compiled. -#}
{% macro rcm_claim_incremental_full_sql(code) -%}
    {%- set parts = [] -%}
    {%- for part in code.split('/*rcm_scope*/') -%}
        {%- do parts.append(part if loop.first else ' true ' ~ part.split('/*rcm_scope_end*/') | last) -%}
    {%- endfor -%}
    {{ return(parts | join('')) }}
{%- endmacro %}

{#- DuckDB's JSON plan of a query, planned without its statistics: the column-statistics pass drops a filter it
    proves always true (and the column with it) and a branch it proves empty, so a plan made with it depends on the
    data, and two runs could read the same columns through different plans while an unread column decides which
    rows one of them keeps. Without it the columns read depend only on the SQL, the schema and DuckDB's version.
    The setting is global to the process: it is put back at once (another model planned in between only loses an
    optimisation). -#}
{% macro rcm_claim_incremental_plan(sql) -%}
    {%- set before = rcm_claim_incremental_rows("select current_setting('disabled_optimizers')")[0][0] or '' -%}
    {%- set disabled = (before ~ ',' if before else '') ~ 'statistics_propagation' -%}
    {%- do rcm_claim_incremental_exec("set disabled_optimizers = '" ~ disabled ~ "'") -%}
    {%- set rows = rcm_claim_incremental_rows('explain (format json) ' ~ sql) -%}
    {%- do rcm_claim_incremental_exec("set disabled_optimizers = '" ~ before ~ "'") -%}
    {%- set nodes = [] -%}
    {%- for row in rows -%}
        {%- set plan = fromjson(row[1]) -%}
        {%- do nodes.extend(plan if plan is sequence and plan is not mapping else [plan]) -%}
    {%- endfor -%}
    {{ return(nodes) }}
{%- endmacro %}

{#- Every table scan of a plan: table name -> the text of the scan's details, which name the columns it reads from
    storage: its projections and its pushed-down filters (a column a filter alone tests is not among the
    projections). Any other detail can only add names, never hide one. The nodes are visited from a list that grows
    as they are, not by recursion (plans are deep). -#}
{% macro rcm_claim_incremental_plan_scans(plan) -%}
    {%- set scans = {} -%}
    {%- set nodes = [] -%}
    {%- do nodes.extend(plan) -%}
    {%- for node in nodes -%}
        {%- set info = node.get('extra_info') -%}
        {%- if info is mapping and info.get('Table') -%}
            {%- set texts = scans.setdefault(info['Table'], []) -%}
            {%- for key, value in info.items() if key != 'Table' -%}
                {%- do texts.append(value if value is string else tojson(value)) -%}
            {%- endfor -%}
        {%- endif -%}
        {%- do nodes.extend(node.get('children', [])) -%}
    {%- endfor -%}
    {{ return(scans) }}
{%- endmacro %}

{#- The columns the model reads of each claim input, in the input's column order, from DuckDB's plan of the model's
    full-build SQL: what its table scans read, projections and filters. A claim's output rows cannot depend on a
    column no scan reads, so a fingerprint over the read columns changes whenever the output could; a change to an
    unread column (a CPT the ledger never looks at) no longer recomputes the claim, and hashing fewer columns is
    cheaper (docs/benchmarks.md). A column counts as read when its name appears, as a whole name in any case, in a
    scan's details. An input the plan does not scan under its own name (a view, read through its tables; or one the
    optimizer dropped) is left out: its whole rows are hashed, as before. Model names are unique across the
    project's schemas, so a scan's table name is the input's. -#}
{% macro rcm_claim_incremental_read_columns(code, claim_inputs) -%}
    {%- set scans = rcm_claim_incremental_plan_scans(rcm_claim_incremental_plan(rcm_claim_incremental_full_sql(code))) -%}
    {%- set read = {} -%}
    {%- for input in claim_inputs -%}
        {%- set relation = ref(input) -%}
        {%- set stored = adapter.get_relation(relation.database, relation.schema, relation.identifier) -%}
        {%- if stored is not none and stored.type == 'table' and relation.identifier in scans -%}
            {%- set details = scans[relation.identifier] | join('\n') -%}
            {%- set columns = [] -%}
            {%- for column in adapter.get_columns_in_relation(stored) -%}
                {%- set named = '(?<![A-Za-z0-9_$])' ~ modules.re.escape(column.name) ~ '(?![A-Za-z0-9_$])' -%}
                {%- if modules.re.search(named, details, modules.re.IGNORECASE) -%}
                    {%- do columns.append(column.name) -%}
                {%- endif -%}
            {%- endfor -%}
            {%- do read.update({input: columns}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(read) }}
{%- endmacro %}

{% macro rcm_claim_incremental_exec(sql) -%}
    {%- call statement('claim_incremental', fetch_result=False, auto_begin=True) -%}{{ sql }}{%- endcall -%}
{%- endmacro %}

{% macro rcm_claim_incremental_rows(sql) -%}
    {%- call statement('claim_incremental_rows', fetch_result=True, auto_begin=True) -%}{{ sql }}{%- endcall -%}
    {{ return(load_result('claim_incremental_rows').table.rows) }}
{%- endmacro %}

{% materialization claim_incremental, adapter='duckdb' %}
    {%- set relations = rcm_incremental_relations() -%}
    {%- set target_relation, existing = relations.target, relations.existing -%}
    {%- set intermediate, backup = relations.intermediate, relations.backup -%}

    {%- set claim_inputs = config.require('claim_inputs') -%}
    {%- set dated = config.get('dated_input') -%}
    {%- set date_set = config.get('date_set') -%}
    {%- set global_inputs = config.get('global_inputs', []) -%}
    {%- set date_column = config.get('date_column') -%}
    {%- set is_dated = dated is not none -%}
    {%- if [dated, date_set, date_column] | select('none') | list | length not in [0, 3] -%}
        {{ exceptions.raise_compiler_error(this.identifier
            ~ ': claim_incremental needs all of dated_input, date_set and date_column, or none of them') }}
    {%- endif -%}
    {%- if is_dated and dated.model not in claim_inputs -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ': dated_input must be one of claim_inputs') }}
    {%- endif -%}
    {%- set declared = claim_inputs.keys() | list + global_inputs + ([date_set.model] if is_dated else []) -%}
    {%- do rcm_incremental_check_declared(declared, 'claim_incremental') -%}

    {%- set state = 'incremental_state' -%}
    {%- set name = this.identifier -%}
    {%- set claims_state = state ~ '."' ~ name ~ '__claims"' -%}
    {%- set dates_state = state ~ '."' ~ name ~ '__dates"' -%}
    {%- set run_state = state ~ '."' ~ name ~ '__run"' -%}
    {%- set fingerprints = rcm_claim_scope_table('fingerprints') -%}
    {%- set now_dates = rcm_claim_scope_table('now_dates') -%}
    {%- set compared_dates = rcm_claim_scope_table('compared_dates') -%}
    {%- set changed = rcm_claim_scope_table('changed') -%}
    {%- set scope_dates = rcm_claim_scope_table('dates') -%}
    {%- set scope_claims = rcm_claim_scope_table('claims') -%}
    {%- set compiled_incremental = '/*rcm_scope*/ exists' in compiled_code or '/*rcm_scope*/ (' in compiled_code -%}

    {{ run_hooks(pre_hooks, inside_transaction=False) }}
    {{ run_hooks(pre_hooks, inside_transaction=True) }}

    {#- the columns each input is hashed by: part of the code's hash, so another set rebuilds rather than compares
        fingerprints taken over different columns -#}
    {%- set followed = [] -%}
    {%- for input in claim_inputs if rcm_claim_log_follows(model, input) -%}
        {%- do followed.append(input) -%}
    {%- endfor -%}
    {%- set read_columns = rcm_claim_incremental_read_columns(compiled_code, claim_inputs) -%}
    {%- set input_columns = [] -%}
    {%- for input in claim_inputs -%}
        {%- do input_columns.append(input ~ ': ' ~ ('(claim log)' if input in followed
            else read_columns[input] | join(', ') if input in read_columns else '(whole rows)')) -%}
    {%- endfor -%}
    {%- set input_columns = input_columns | join('; ') -%}
    {%- set code_hash = local_md5(rcm_claim_incremental_code_hash(compiled_code) ~ '|' ~ input_columns) -%}

    {%- do rcm_claim_incremental_exec('create schema if not exists ' ~ state) -%}

    {#- the dates now, the volatile ones marked (date_set.volatile, a condition on the date set's columns; by default
        each practice's latest date): recomputed every run, never kept for comparison -#}
    {%- if not is_dated -%}
        {#- an undated model has no dates: the date tables stay empty -#}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ now_dates ~ ' as
            select cast(null as varchar) as practice_id, cast(null as date) as scope_date,
                cast(null as boolean) as is_volatile
            limit 0') -%}
    {%- elif date_set.get('volatile') -%}
        {%- set volatile = 'bool_or(' ~ date_set.volatile ~ ')' -%}
    {%- else -%}
        {%- set volatile = date_set.date ~ ' = max(max(' ~ date_set.date ~ ')) over (partition by practice_id)' -%}
    {%- endif -%}
    {%- if is_dated -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ now_dates ~ ' as
            select practice_id, ' ~ date_set.date ~ ' as scope_date, ' ~ volatile ~ ' as is_volatile
            from ' ~ ref(date_set.model) ~ ' group by practice_id, ' ~ date_set.date) -%}
    {%- endif -%}

    {%- set global_parts = [] -%}
    {%- for input in global_inputs -%}
        {%- do global_parts.append("select '" ~ input ~ "' as input, count(*) as n, sum(hash(t)) as h from "
            ~ ref(input) ~ ' as t') -%}
    {%- endfor -%}
    {%- set global_fingerprint = 'none' -%}
    {%- if global_parts | length > 0 -%}
        {%- set global_fingerprint = rcm_claim_incremental_rows(
            "select string_agg(input || ':' || n || ':' || coalesce(h, 0), ',' order by input) from ("
            ~ global_parts | join(' union all ') ~ ')')[0][0] -%}
    {%- endif -%}

    {#- incremental only where the SQL was compiled so, the state matches it, and no compared date vanished -#}
    {%- set previous = [] -%}
    {%- if compiled_incremental and existing is not none
        and adapter.get_relation(this.database, state, name ~ '__run') is not none -%}
        {%- for row in rcm_claim_incremental_rows('select code_hash, global_fingerprint from ' ~ run_state) -%}
            {%- do previous.append(row) -%}
        {%- endfor -%}
    {%- endif -%}
    {%- set logs = rcm_claim_log_inputs(followed, previous | length == 1) -%}
    {%- set incremental = previous | length == 1 and previous[0][0] == code_hash
        and previous[0][1] == global_fingerprint and logs.unfollowable | length == 0 -%}
    {%- if incremental -%}
        {%- set vanished = rcm_claim_incremental_rows('select count(*) from ' ~ dates_state ~ ' as kept
            where not exists (select 1 from ' ~ now_dates ~ ' as now_dates
                where now_dates.practice_id = kept.practice_id and now_dates.scope_date = kept.scope_date)')[0][0] -%}
        {%- set incremental = vanished == 0 -%}
    {%- endif -%}

    {#- the dates compared: the last run's fingerprinted dates (all of them still here); on a rebuild, all -#}
    {%- if incremental -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ compared_dates ~ ' as
            select practice_id, scope_date from ' ~ dates_state) -%}
    {%- else -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ compared_dates ~ ' as
            select practice_id, scope_date from ' ~ now_dates) -%}
    {%- endif -%}

    {#- per claim: the fingerprint compared with the last run's, and the one kept for the next run (the dated
        input's rows at this run's dates but the volatile ones) -#}
    {%- set parts = ['select cast(null as varchar) as practice_id, cast(null as varchar) as claim_id,
        cast(null as hugeint) as compared_hash, cast(null as bigint) as compared_rows,
        cast(null as hugeint) as kept_hash, cast(null as bigint) as kept_rows where false'] -%}
    {%- for input, claim_column in claim_inputs.items() if input not in followed -%}
        {%- if input in read_columns -%}
            {%- set hashed = [] -%}
            {%- for column in read_columns[input] -%}
                {%- do hashed.append(', t.' ~ adapter.quote(column)) -%}
            {%- endfor -%}
            {%- set row_hash = "hash('" ~ input ~ "'" ~ hashed | join('') ~ ')' -%}
        {%- else -%}
            {%- set row_hash = "hash('" ~ input ~ "', t)" -%}
        {%- endif -%}
        {%- if is_dated and input == dated.model -%}
            {%- do parts.append('select t.practice_id, t.' ~ claim_column ~ ' as claim_id,
                sum(case when compared.scope_date is not null then ' ~ row_hash ~ ' end) as compared_hash,
                count(compared.scope_date) as compared_rows,
                sum(case when not now_dates.is_volatile then ' ~ row_hash ~ ' end) as kept_hash,
                count(case when not now_dates.is_volatile then 1 end) as kept_rows
            from ' ~ ref(input) ~ ' as t
            left join ' ~ compared_dates ~ ' as compared
                on compared.practice_id = t.practice_id and compared.scope_date = t.' ~ dated.date ~ '
            left join ' ~ now_dates ~ ' as now_dates
                on now_dates.practice_id = t.practice_id and now_dates.scope_date = t.' ~ dated.date ~ '
            group by all') -%}
        {%- else -%}
            {%- do parts.append('select practice_id, ' ~ claim_column ~ ' as claim_id,
                sum(' ~ row_hash ~ ') as compared_hash, count(*) as compared_rows,
                sum(' ~ row_hash ~ ') as kept_hash, count(*) as kept_rows
            from ' ~ ref(input) ~ ' as t group by all') -%}
        {%- endif -%}
    {%- endfor -%}
    {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ fingerprints ~ ' as
        select practice_id, claim_id,
            coalesce(sum(compared_hash), 0) as compared_hash, cast(sum(compared_rows) as bigint) as compared_rows,
            coalesce(sum(kept_hash), 0) as kept_hash, cast(sum(kept_rows) as bigint) as kept_rows
        from (' ~ parts | join(' union all ') ~ ') group by all') -%}

    {%- if incremental -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ changed ~ ' as
            select coalesce(now_claims.practice_id, kept.practice_id) as practice_id,
                coalesce(now_claims.claim_id, kept.claim_id) as claim_id
            from ' ~ fingerprints ~ ' as now_claims
            full join ' ~ claims_state ~ ' as kept
                on kept.practice_id = now_claims.practice_id and kept.claim_id is not distinct from now_claims.claim_id
            where now_claims.compared_hash is distinct from kept.kept_hash
                or now_claims.compared_rows is distinct from kept.kept_rows') -%}
        {#- and the claims the followed inputs logged since this model took them in -#}
        {%- for input in followed -%}
            {%- do rcm_claim_incremental_exec('insert into ' ~ changed ~ ' ' ~ rcm_claim_log_since_sql(input, logs) ~ '
                except select practice_id, claim_id from ' ~ changed) -%}
        {%- endfor -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope_dates ~ ' as
            select practice_id, scope_date from ' ~ now_dates ~ '
            except select practice_id, scope_date from ' ~ compared_dates) -%}
    {%- else -%}
        {#- every claim: those fingerprinted and those of the followed inputs (the SQL may be compiled with the
            scope filters, which then must let every claim through) -#}
        {%- set all_claims = ['select practice_id, claim_id from ' ~ fingerprints] -%}
        {%- for input in followed -%}
            {%- do all_claims.append('select practice_id, ' ~ claim_inputs[input] ~ ' from ' ~ ref(input)) -%}
        {%- endfor -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ changed ~ ' as
            ' ~ all_claims | join(' union ')) -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope_dates ~ ' as
            select practice_id, scope_date from ' ~ now_dates) -%}
    {%- endif -%}
    {%- if is_dated -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope_claims ~ ' as
            select practice_id, claim_id from ' ~ changed ~ '
            union
            select t.practice_id, t.' ~ claim_inputs[dated.model] ~ ' from ' ~ ref(dated.model) ~ ' as t
            where exists (select 1 from ' ~ scope_dates ~ ' as scope_dates
                where scope_dates.practice_id = t.practice_id and scope_dates.scope_date = t.' ~ dated.date ~ ')') -%}
    {%- else -%}
        {%- do rcm_claim_incremental_exec('create or replace temp table ' ~ scope_claims ~ ' as
            select practice_id, claim_id from ' ~ changed) -%}
    {%- endif -%}

    {%- set insert_sql = compiled_code -%}
    {%- if incremental and is_dated -%}
        {#- the changed claims' rows, and every row at a date not compared (new and volatile dates) -#}
        {%- do rcm_claim_incremental_exec('delete from ' ~ target_relation ~ ' as t
            where exists (select 1 from ' ~ changed ~ ' as changed_claims
                    where changed_claims.practice_id = t.practice_id
                        and changed_claims.claim_id is not distinct from t.' ~ config.get('claim_column', 'claim_id') ~ ')
                or not exists (select 1 from ' ~ compared_dates ~ ' as compared
                    where compared.practice_id = t.practice_id and compared.scope_date = t.' ~ date_column ~ ')') -%}
    {%- elif incremental -%}
        {#- an undated model keeps a claim log: the changed claims' rows, hashed as they go -#}
        {%- do rcm_claim_log_delete(config.get('claim_column', 'claim_id'), changed) -%}
        {%- set insert_sql = rcm_claim_log_new_rows(compiled_code) -%}
    {%- endif -%}
    {%- do rcm_incremental_write(incremental, target_relation, intermediate, existing, backup, insert_sql) -%}

    {#- the state for the next run, in the same transaction as the table -#}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ claims_state ~ ' as
        select practice_id, claim_id, kept_hash, kept_rows from ' ~ fingerprints) -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ dates_state ~ ' as
        select practice_id, scope_date from ' ~ now_dates ~ ' where not is_volatile') -%}
    {%- do rcm_claim_log_consumed_write(logs) -%}
    {%- set counts = rcm_claim_incremental_rows('select (select count(*) from ' ~ fingerprints ~ '),
        (select count(*) from ' ~ changed ~ '), (select count(*) from ' ~ scope_dates ~ ')')[0] -%}
    {%- do rcm_claim_incremental_exec('create or replace table ' ~ run_state ~ " as select
        '" ~ code_hash ~ "' as code_hash, '" ~ global_fingerprint ~ "' as global_fingerprint,
        '" ~ input_columns | replace("'", "''") ~ "' as input_columns,
        current_timestamp as built_at, '" ~ ('incremental' if incremental else 'rebuild') ~ "' as mode,
        cast(" ~ counts[0] ~ ' as bigint) as claims, cast(' ~ counts[1] ~ ' as bigint) as claims_recomputed,
        cast(' ~ counts[2] ~ ' as bigint) as dates_recomputed') -%}
    {#- an undated model's claim log (macros/claim_log.sql), for the claim_log_incremental models that read it -#}
    {%- if not is_dated -%}
        {%- do rcm_claim_log_write(incremental, rcm_claim_log_changed_sql(config.get('claim_column', 'claim_id'))) -%}
    {%- endif -%}

    {%- set temporary = [rcm_claim_log_table('before'), rcm_claim_log_table('after')] -%}
    {%- for kind in ['fingerprints', 'now_dates', 'compared_dates', 'changed', 'dates', 'claims'] -%}
        {%- do temporary.append(rcm_claim_scope_table(kind)) -%}
    {%- endfor -%}
    {%- do rcm_incremental_finish(incremental, target_relation, existing, backup, temporary, post_hooks) -%}
    {{ return({'relations': [target_relation]}) }}
{% endmaterialization %}
