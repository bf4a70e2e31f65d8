-- One file may feed several entities (a transaction ledger routed by its type column, docs/inputs.md §5):
-- raw.pm_exports holds one row per file and entity, keyed by both. The table is rebuilt under the new key
-- with every row it had.
create table raw.pm_exports_by_entity (
  file_id bigint not null,
  practice_id varchar not null,
  entity varchar not null,          -- canonical entity: charges, payments, rejections, ...
  profile varchar not null,         -- mapping profile used, e.g. ledger/charges
  encoding varchar not null,        -- utf-8 or windows-1252
  coverage_field varchar,           -- the date field the export's range is about (null: no range)
  coverage_from date,
  coverage_to date,
  coverage_source varchar,          -- 'file_name' (declared period) or 'rows' (min..max of the rows)
  row_count bigint not null,
  skipped_rows bigint not null,     -- data lines not stored: totals, footers, repeated headers, filtered rows
  snapshot_mode varchar,            -- 'full' or 'incremental' (null: loaded before 0013, full)
  primary key (file_id, entity)
);

insert into raw.pm_exports_by_entity
select file_id, practice_id, entity, profile, encoding, coverage_field, coverage_from, coverage_to,
       coverage_source, row_count, skipped_rows, snapshot_mode
from raw.pm_exports;

drop table raw.pm_exports;

alter table raw.pm_exports_by_entity rename to pm_exports;
