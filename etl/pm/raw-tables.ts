import type { Migration } from '../warehouse/migrations.ts';
import { CANONICAL, type CanonicalEntity, ENTITY_NAMES, sqlTypes } from './canonical.ts';

/**
 * Raw tables for CSV inputs: one per canonical entity (raw.pm_charges, raw.clearinghouse_rejections, …) with
 * practice_id, file_id and line_no (the physical line of the row in its file) before the canonical fields;
 * raw.pm_exports, one row per loaded file with the date range the export covers; and two views per entity,
 * raw.<table>_latest and raw.<table>_current, applying the snapshot rules of docs/inputs.md (latest export
 * wins per natural key; a row missing from a later export whose range covers the row's date on the export's
 * coverage field is deleted).
 */
function entityTable(entity: CanonicalEntity): string {
  const columns = entity.fields.map(
    (field) => `  ${field.name} ${sqlTypes[field.type]}${field.required ? ' not null' : ''}`,
  );
  return `create table raw.${entity.table} (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
${columns.join(',\n')}
)`;
}

/**
 * raw.<table>_latest: the latest version of each natural key, with deleted_by_file_id, the first later export
 * whose range covers the row's date and which does not hold the key (null while the row is current);
 * raw.<table>_current: the latest versions not deleted.
 */
function snapshotViews(name: string, entity: CanonicalEntity): string[] {
  const key = ['practice_id', ...entity.naturalKey].join(', ');
  // The row's date on the field the later export's range is about (a profile may choose another date field).
  const dates = entity.fields.filter((field) => field.type === 'date');
  const rowDate = `case later.coverage_field ${dates.map((d) => `when '${d.name}' then latest.${d.name}`).join(' ')} end`;
  const deletedBy =
    dates.length > 0
      ? `(
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = '${name}'
      and later.file_id > latest.file_id
      and ${rowDate} between later.coverage_from and later.coverage_to
  )`
      : 'cast(null as bigint)';
  return [
    `create view raw.${entity.table}_latest as
with ranked as (
  select *, row_number() over (partition by ${key} order by file_id desc, line_no desc) as version_rank
  from raw.${entity.table}
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, ${deletedBy} as deleted_by_file_id from latest`,
    `create view raw.${entity.table}_current as
select * exclude (deleted_by_file_id) from raw.${entity.table}_latest where deleted_by_file_id is null`,
  ];
}

export const pmRawTables: Migration = {
  id: '0010_pm_raw_tables',
  statements: [
    ...ENTITY_NAMES.map((name) => entityTable(CANONICAL[name])),
    `create table raw.pm_exports (
  file_id bigint primary key,
  practice_id varchar not null,
  entity varchar not null,          -- canonical entity: charges, payments, rejections, ...
  profile varchar not null,         -- mapping profile used, e.g. ledger/charges
  encoding varchar not null,        -- utf-8 or windows-1252
  coverage_field varchar,           -- the date field the export's range is about (null: no range)
  coverage_from date,
  coverage_to date,
  coverage_source varchar,          -- 'file_name' (declared period) or 'rows' (min..max of the rows)
  row_count bigint not null,
  skipped_rows bigint not null      -- totals, footers and repeated header lines left out
)`,
    ...ENTITY_NAMES.flatMap((name) => snapshotViews(name, CANONICAL[name])),
  ],
};
