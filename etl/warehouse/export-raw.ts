import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { openWarehouseReadOnly } from './connection.ts';

/** Written last into an export folder: what it holds. Its presence also marks the folder as an export. */
export const EXPORT_MANIFEST = '_rcm_export.json';

const exportedTable = z.object({
  table: z.string(),
  rows: z.number().int().nonnegative(),
  /** The Hive-style partition column (folders practice_id=P001/), or null for one unpartitioned file. */
  partitionedBy: z.literal('practice_id').nullable(),
});

export const exportManifest = z.object({
  format: z.literal('rcm-raw-parquet/1'),
  exportedAt: z.string(),
  warehouse: z.string(),
  tables: z.array(exportedTable),
});
export type ExportManifest = z.infer<typeof exportManifest>;

/** Reads and checks an export folder's manifest. */
export function readExportManifest(dir: string): ExportManifest {
  return exportManifest.parse(JSON.parse(readFileSync(path.join(dir, EXPORT_MANIFEST), 'utf8')));
}

function sqlString(value: string): string {
  return `'${value.replaceAll("'", "''")}'`;
}

function sqlIdentifier(value: string): string {
  return `"${value.replaceAll('"', '""')}"`;
}

/**
 * Exports every table of the `raw` schema to Parquet, one folder per table, the hand-off to another engine
 * (docs/spark.md). Tables with a practice_id are partitioned by it (DuckDB's COPY … PARTITION_BY, folders
 * practice_id=<id>/); the others, empty tables and tables with a row lacking a practice, are one file. Column
 * types go as they are: DECIMAL(18,2) stays a Parquet decimal.
 * Atomic: the export is written to a sibling folder and renamed into place once complete, so a reader sees the
 * previous export or the new one, never half of one. An existing `out` is replaced only if it is an export.
 */
export async function exportRaw(
  database: string,
  out: string,
  options: { now?: Date } = {},
): Promise<ExportManifest> {
  const target = path.resolve(out);
  if (existsSync(target) && !existsSync(path.join(target, EXPORT_MANIFEST))) {
    throw new Error(`${target} exists and is not a raw export (no ${EXPORT_MANIFEST}); name a new folder`);
  }
  mkdirSync(path.dirname(target), { recursive: true });
  const stamp = `${process.pid}-${Date.now()}`;
  const partial = `${target}.partial-${stamp}`;
  mkdirSync(partial, { mode: 0o700 });
  const warehouse = await openWarehouseReadOnly(database);
  const tables: ExportManifest['tables'] = [];
  try {
    const listed = await warehouse.connection.runAndReadAll(
      `select t.table_name,
              count(c.column_name) filter (where c.column_name = 'practice_id') > 0 as has_practice
       from information_schema.tables t
       left join information_schema.columns c
         on c.table_schema = t.table_schema and c.table_name = t.table_name
       where t.table_schema = 'raw' and t.table_type = 'BASE TABLE'
       group by t.table_name
       order by t.table_name`,
    );
    for (const [name, hasPractice] of listed.getRows() as [string, boolean][]) {
      const table = `raw.${sqlIdentifier(name)}`;
      const counts = await warehouse.connection.runAndReadAll(
        hasPractice
          ? `select count(*), count(*) filter (where practice_id is null) from ${table}`
          : `select count(*), 0 from ${table}`,
      );
      const [total, nulls] = counts.getRows()[0] as [bigint, bigint | number];
      const rows = Number(total);
      const withoutPractice = Number(nulls);
      const partitioned = hasPractice && rows > 0 && withoutPractice === 0;
      const folder = path.join(partial, name);
      if (partitioned) {
        await warehouse.connection.run(
          `copy ${table} to ${sqlString(folder)} (format parquet, partition_by (practice_id))`,
        );
      } else {
        mkdirSync(folder);
        await warehouse.connection.run(
          `copy ${table} to ${sqlString(path.join(folder, 'data_0.parquet'))} (format parquet)`,
        );
      }
      tables.push({ table: name, rows: Number(rows), partitionedBy: partitioned ? 'practice_id' : null });
    }
  } catch (error) {
    rmSync(partial, { recursive: true, force: true });
    throw error;
  } finally {
    warehouse.close();
  }
  const manifest: ExportManifest = {
    format: 'rcm-raw-parquet/1',
    exportedAt: (options.now ?? new Date()).toISOString(),
    warehouse: path.resolve(database),
    tables,
  };
  writeFileSync(path.join(partial, EXPORT_MANIFEST), `${JSON.stringify(manifest, null, 2)}\n`);
  // Swap: the old export steps aside, the new one takes its name, then the old one goes.
  const previous = `${target}.previous-${stamp}`;
  const hadPrevious = existsSync(target);
  if (hadPrevious) renameSync(target, previous);
  renameSync(partial, target);
  if (hadPrevious) rmSync(previous, { recursive: true, force: true });
  return manifest;
}
