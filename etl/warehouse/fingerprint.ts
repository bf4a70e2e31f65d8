import { createHash } from 'node:crypto';
import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * What a warehouse holds, independent of the file ids a load happened to hand out: two warehouses loaded with
 * the same files in the same order have equal fingerprints however often they were killed, recovered or
 * restored on the way. Used by the crash tests, the kill drill and backup verification.
 */
export interface Fingerprint {
  /** `sha256|kind|status|rows|warnings` per registry row, sorted. */
  registry: string[];
  /** Rows per raw table or view and source file: `table|sha256` → count. */
  rows: Record<string, number>;
  /** Rows whose file_id is no loaded file: a half-loaded file would leave some. */
  orphanRows: number;
  /** SHA-256 of each mart's rows in a stable order (`marts.<name>` → digest); empty before dbt ran. */
  marts: Record<string, string>;
}

/**
 * Load and run times, file ids and paths: the only run-dependent values a mart may carry; and the account
 * reference, keyed by the warehouse's own random key (raw.warehouse_keys), so another warehouse loaded with the
 * same files has other references (a backup or a recovered warehouse keeps its key, and its references).
 */
const RUN_DEPENDENT =
  /(^|_)(loaded|quarantined|built|run|started|finished)_at$|(^|_)file_id$|_path$|^account_ref$/;

export async function fingerprint(connection: DuckDBConnection): Promise<Fingerprint> {
  const query = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();
  const registry = (
    await query(
      `select concat_ws('|', sha256, file_kind, status, coalesce(row_count, -1), warning_count)
         from raw.files order by 1`,
    )
  ).map((row) => String(row[0]));
  const tables = (
    await query(
      `select table_name from information_schema.columns
        where table_schema = 'raw' and column_name = 'file_id' and table_name <> 'files' order by 1`,
    )
  ).map((row) => String(row[0]));
  const rows: Record<string, number> = {};
  let orphanRows = 0;
  for (const table of tables) {
    for (const [sha, count] of await query(
      `select f.sha256, count(*) from raw.${table} t join raw.files f using (file_id) group by 1`,
    ))
      rows[`${table}|${sha}`] = Number(count);
    const [[orphans]] = (await query(
      `select count(*) from raw.${table}
        where file_id not in (select file_id from raw.files where status = 'loaded')`,
    )) as [[bigint]];
    orphanRows += Number(orphans);
  }
  const marts: Record<string, string> = {};
  const martNames = await query(
    "select table_name from information_schema.tables where table_schema = 'marts' order by 1",
  );
  for (const [name] of martNames) {
    const columns = (
      await query(
        `select column_name from information_schema.columns
          where table_schema = 'marts' and table_name = '${name}' order by ordinal_position`,
      )
    )
      .map((row) => String(row[0]))
      .filter((column) => !RUN_DEPENDENT.test(column))
      .map((column) => `"${column}"`);
    const hash = createHash('sha256');
    for (const row of await query(`select ${columns.join(', ')} from marts."${name}" order by all`))
      hash.update(`${JSON.stringify(row, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))}\n`);
    marts[String(name)] = hash.digest('hex');
  }
  return { registry, rows, orphanRows, marts };
}
