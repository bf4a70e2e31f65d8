import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { rollbackIfOpen } from './transaction.ts';

/**
 * One step of the raw schema. The ETL alone owns `raw`; dbt never writes it.
 * Steps run once each, in number order, and are recorded in raw.schema_migrations.
 */
export interface Migration {
  id: string;
  statements: string[];
}

/**
 * The steps, in number order; each is the fixed text of `migrations/<id>.sql`. A released file never changes
 * (test/warehouse/migrations.test.ts holds each one's sha256): a change to `raw` is a new numbered file. The
 * column catalogues (x12/raw-tables.ts, pm/canonical.ts) describe the result and a test holds them to it.
 * The ids are the ones existing warehouses recorded; 0005-0009 are unused (0010 was numbered apart).
 */
export const MIGRATION_IDS = [
  '0001_file_registry',
  '0002_era_remittances_and_claims',
  '0003_x12_engine_tables',
  '0004_exact_quantities',
  '0010_pm_raw_tables',
  '0011_run_log',
  '0013_pm_snapshot_mode',
  '0014_pm_exports_per_entity',
  '0015_pm_transfers',
  '0016_claim_837',
  '0017_pm_left_out_rows',
  '0018_drop_snapshot_views',
  '0019_warehouse_keys',
  '0020_inbox_file_hashes',
] as const;

/**
 * The warehouse's own secrets (raw.warehouse_keys), each made once, here, of 256 bits from Node's cryptographic
 * random source (DuckDB's random() and gen_random_uuid() are a seeded PCG, not a cryptographic one). A key is
 * never derived from the data: two warehouses loaded with the same files have different keys.
 */
export const WAREHOUSE_KEYS = ['account_ref'] as const;

/** The statements of a migration file: each ends with `;` at the end of a line; leading `--` lines are notes. */
export function sqlStatements(text: string): string[] {
  return text
    .split(/;[ \t]*(?:\r?\n|$)/)
    .map((statement) => statement.replace(/^(?:[ \t]*--[^\n]*\n|[ \t]*\r?\n)*/, '').trimEnd())
    .filter((statement) => statement.length > 0);
}

export function migrationFile(id: string): URL {
  return new URL(`./migrations/${id}.sql`, import.meta.url);
}

export const migrations: Migration[] = MIGRATION_IDS.map((id) => ({
  id,
  statements: sqlStatements(readFileSync(migrationFile(id), 'utf8')),
}));

export async function migrate(connection: DuckDBConnection): Promise<void> {
  await connection.run('create schema if not exists raw');
  await connection.run(
    'create table if not exists raw.schema_migrations (migration_id varchar primary key, applied_at timestamp not null)',
  );
  const applied = new Set(
    (await connection.runAndReadAll('select migration_id from raw.schema_migrations'))
      .getRows()
      .map((row) => String(row[0])),
  );
  for (const migration of migrations) {
    if (applied.has(migration.id)) continue;
    await connection.run('begin transaction');
    try {
      for (const statement of migration.statements) await connection.run(statement);
      await connection.run('insert into raw.schema_migrations values ($id, current_timestamp)', {
        id: migration.id,
      });
      await connection.run('commit');
    } catch (error) {
      await rollbackIfOpen(connection);
      throw new Error(`warehouse migration ${migration.id} failed: ${(error as Error).message}`);
    }
  }
  for (const name of WAREHOUSE_KEYS) {
    await connection.run(
      `insert into raw.warehouse_keys
       select $name, $value, current_timestamp::timestamp
       where not exists (select 1 from raw.warehouse_keys where key_name = $name)`,
      { name, value: randomBytes(32).toString('hex') },
    );
  }
  // Schema changes must never sit in the write-ahead log while data is written: DuckDB 1.4 cannot replay some
  // of them (an ALTER … TYPE … USING among them), and a run killed before the next checkpoint would leave a
  // warehouse nothing can open. Cheap when nothing changed.
  await connection.run('checkpoint');
}
