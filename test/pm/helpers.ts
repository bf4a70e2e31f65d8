import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type CsvLoaderOptions, createCsvLoader } from '../../etl/load/csv-loader.ts';
import { detectKind } from '../../etl/load/detect-kind.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { type LoadOutcome, loadFile } from '../../etl/warehouse/load-file.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

export const fixtureProfiles = path.resolve('test/fixtures/pm/profiles');

export interface PmTestWarehouse {
  warehouse: Warehouse;
  dir: string;
  /** Writes `content` (text as UTF-8, or raw bytes; null: the file is there) as `name`, loads it as P001. */
  load(
    name: string,
    content: string | Buffer | null,
    options?: CsvLoaderOptions & { practice?: string },
  ): Promise<LoadOutcome>;
  /** Rows of a query, bigints and decimals as strings. */
  rows(sql: string): Promise<Record<string, string | null>[]>;
  /** A digest of everything the CSV loader can write: row counts and contents of every raw CSV table. */
  state(): Promise<string>;
  close(): void;
}

export async function pmWarehouse(label: string): Promise<PmTestWarehouse> {
  const wh = tempWarehouse(label);
  const warehouse = await openWarehouse(wh.database);
  const rows = async (sql: string) => {
    const reader = await warehouse.connection.runAndReadAll(sql);
    return reader
      .getRowObjectsJson()
      .map((row) =>
        Object.fromEntries(Object.entries(row).map(([k, v]) => [k, v === null ? null : String(v)])),
      );
  };
  return {
    warehouse,
    dir: wh.dir,
    rows,
    async load(name, content, options = {}) {
      const filePath = path.join(wh.dir, name);
      mkdirSync(path.dirname(filePath), { recursive: true });
      if (content !== null) writeFileSync(filePath, content);
      const kind = detectKind(filePath);
      return loadFile(
        warehouse.connection,
        wh,
        { filePath, practiceId: options.practice ?? 'P001', kind },
        createCsvLoader(options),
      );
    },
    async state() {
      const tables = (
        await rows(
          "select table_name from duckdb_tables() where schema_name = 'raw' and table_name not in ('files', 'schema_migrations') order by 1",
        )
      ).map((row) => row.table_name);
      const parts = [
        JSON.stringify(
          await rows("select file_id, status from raw.files where status = 'loaded' order by 1"),
        ),
      ];
      for (const table of tables) {
        parts.push(`${table}: ${JSON.stringify(await rows(`select * from raw.${table} order by all`))}`);
      }
      return parts.join('\n');
    },
    close() {
      warehouse.close();
      wh.remove();
    },
  };
}

/** The fields of a quarantined outcome's message, split back into expected/found. */
export function quarantine(outcome: LoadOutcome): { location: string; expected: string; found: string } {
  if (outcome.status !== 'quarantined') throw new Error(`expected a quarantined file, got ${outcome.status}`);
  const match = /^expected (.*), found (.*)$/s.exec(outcome.message);
  if (!match) throw new Error(`unexpected message: ${outcome.message}`);
  return { location: outcome.location, expected: match[1] as string, found: match[2] as string };
}
