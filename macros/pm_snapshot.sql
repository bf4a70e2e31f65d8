{#- The PM snapshot rules of docs/inputs.md §4, once for every CSV entity. Returns a select of
    (file_id, line_no, deleted_by_file_id) for the latest version of each natural key per practice:
      - latest export wins: the highest file_id, then the last line of that file (a key twice in one file);
      - deleted_by_file_id: the first later full-snapshot export of the same entity whose range covers the
        row's date on that export's coverage field (such an export no longer lists the key, or it would hold
        the latest version); null while the row is current. Exports without a range (master data, rejection
        reports) and incremental batches (snapshot_mode 'incremental') never delete.
    Join it back to the raw table on (file_id, line_no) and the natural key: together they identify a raw row
    (a wide claim row stores one row per service line, all on the line of the file they came from).
    A join and group by instead of a correlated subquery, so that other engines plan it the same way. -#}
{% macro pm_snapshot(raw_relation, exports_relation, entity, natural_key, date_columns) -%}
    select
        latest.file_id,
        latest.line_no,
        {%- for column in natural_key %}
        latest.{{ column }},
        {%- endfor %}
        min(later.file_id) as deleted_by_file_id
    from (
        select *
        from (
            select
                practice_id,
                file_id,
                line_no,
                {%- for column in natural_key %}
                {{ column }},
                {%- endfor %}
                {%- for column in date_columns %}
                {%- if column not in natural_key %}
                {{ column }},
                {%- endif %}
                {%- endfor %}
                row_number() over (
                    partition by practice_id, {{ natural_key | join(', ') }}
                    order by file_id desc, line_no desc
                ) as version_rank
            from {{ raw_relation }} as versions_raw
            -- every version of the keys recomputed (macros/pm_snapshot_incremental.sql; true on a full build)
            where {{ rcm_pm_scope('versions_raw', natural_key) }}
        ) as versions
        where version_rank = 1
    ) as latest
    {%- if date_columns | length > 0 %}
    -- one row per latest version and date column, each export compared on its own coverage field: every join
    -- condition is an equality or a comparison of one column per side, which DuckDB runs as a hash join (a
    -- case over the export's field in the condition made it compare every row with every export)
    cross join (
        {%- for column in date_columns %}
        select '{{ column }}' as coverage_field{% if not loop.last %} union all{% endif %}
        {%- endfor %}
    ) as coverage_fields
    left join (
        select practice_id, file_id, coverage_field, coverage_from, coverage_to
        from {{ exports_relation }}
        where entity = '{{ entity }}'
            -- an incremental batch deletes nothing; exports recorded before modes existed are full snapshots
            and coalesce(snapshot_mode, 'full') = 'full'
    ) as later
        on later.practice_id = latest.practice_id
        and later.coverage_field = coverage_fields.coverage_field
        and later.file_id > latest.file_id
        and later.coverage_from <= (
            case coverage_fields.coverage_field
                {%- for column in date_columns %}
                when '{{ column }}' then latest.{{ column }}
                {%- endfor %}
            end
        )
        and later.coverage_to >= (
            case coverage_fields.coverage_field
                {%- for column in date_columns %}
                when '{{ column }}' then latest.{{ column }}
                {%- endfor %}
            end
        )
    {%- else %}
    left join {{ exports_relation }} as later
        on later.practice_id = latest.practice_id
        and later.entity = '{{ entity }}'
        and 1 = 0
    {%- endif %}
    group by latest.file_id, latest.line_no{% for column in natural_key %}, latest.{{ column }}{% endfor %}
{%- endmacro %}

{#- The current rows of a raw PM table: its columns for every latest, undeleted version. -#}
{% macro pm_current(source_name, table_name, entity, natural_key, date_columns) -%}
    {#- a pm_snapshot_incremental model declares these arguments in its config too: they must agree -#}
    {%- set declared = config.get('pm_snapshot') if execute else none -%}
    {%- set called = {'source': source_name, 'table': table_name, 'entity': entity, 'natural_key': natural_key,
        'date_columns': date_columns} -%}
    {%- if declared is not none and declared != called -%}
        {{ exceptions.raise_compiler_error(this.identifier ~ ': config pm_snapshot ' ~ declared
            ~ ' differs from its pm_current call ' ~ called) }}
    {%- endif -%}
    select raw_rows.*
    from {{ source(source_name, table_name) }} as raw_rows
    inner join (
        {{ pm_snapshot(source(source_name, table_name), source('pm', 'pm_exports'), entity, natural_key, date_columns) }}
    ) as snapshot
        on snapshot.file_id = raw_rows.file_id
        and snapshot.line_no = raw_rows.line_no
        {%- for column in natural_key %}
        and (snapshot.{{ column }} = raw_rows.{{ column }} or (snapshot.{{ column }} is null and raw_rows.{{ column }} is null))
        {%- endfor %}
    where snapshot.deleted_by_file_id is null
        and {{ rcm_pm_scope('raw_rows', natural_key) }}
{%- endmacro %}
