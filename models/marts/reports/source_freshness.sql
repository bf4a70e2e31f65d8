-- Per practice and kind of file: how many loaded and the newest one, so every report can say how current
-- its data is ("data freshness").
with

loaded as (

    select
        practice_id,
        file_kind,
        original_name,
        loaded_at,
        row_number() over (
            partition by practice_id, file_kind order by loaded_at desc, file_id desc
        ) as recency
    from {{ ref('stg_warehouse__files') }}
    where status = 'loaded'

),

counts as (

    select practice_id, file_kind, count(*) as files_loaded
    from loaded
    group by practice_id, file_kind

)

select
    counts.practice_id,
    counts.file_kind,
    counts.files_loaded,
    loaded.original_name as newest_file_name,
    loaded.loaded_at as newest_loaded_at
from counts
inner join loaded
    on loaded.practice_id = counts.practice_id
    and loaded.file_kind = counts.file_kind
    and loaded.recency = 1
