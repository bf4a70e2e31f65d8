-- The file registry: one row per load attempt that changed the warehouse (a file loaded, or a file
-- quarantined). A content hash is loaded at most once; loading it again changes nothing.

create sequence raw.file_id_seq start 1;

create table raw.files (
      file_id        bigint primary key,
      practice_id    varchar not null,
      file_kind      varchar not null,   -- '835', '277CA', '999', 'pm:charges', ...
      status         varchar not null check (status in ('loaded', 'quarantined')),
      sha256         varchar not null,
      original_name  varchar not null,
      source_path    varchar not null,
      stored_path    varchar not null,   -- archive copy when loaded, quarantine copy when not
      size_bytes     bigint not null,
      row_count      bigint,             -- rows written to raw tables (null when quarantined)
      warning_count  integer not null default 0,
      error_location varchar,            -- quarantined: where in the file
      error_message  varchar,            -- quarantined: what was expected and found
      loaded_at      timestamp not null
    );

create table raw.file_warnings (
      file_id     bigint not null,
      practice_id varchar not null,
      location    varchar not null,
      code        varchar not null,
      message     varchar not null
    );
