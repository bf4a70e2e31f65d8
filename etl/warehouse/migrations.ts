import type { DuckDBConnection } from '@duckdb/node-api';
import { pmRawTables } from '../pm/raw-tables.ts';
import { exactQuantities, x12RawTables } from '../x12/raw-tables.ts';
import { thin835Tables } from '../x12/thin-835-tables.ts';
import { registryTables } from './registry-tables.ts';

/**
 * One step of the raw schema. The ETL alone owns `raw`; dbt never writes it.
 * Steps run once each, in order, and are recorded in raw.schema_migrations.
 */
export interface Migration {
  id: string;
  statements: string[];
}

export const migrations: Migration[] = [
  registryTables,
  thin835Tables,
  x12RawTables,
  pmRawTables,
  exactQuantities,
];

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
      await connection.run('rollback');
      throw new Error(`warehouse migration ${migration.id} failed: ${(error as Error).message}`);
    }
  }
  // Schema changes must never sit in the write-ahead log while data is written: DuckDB 1.4 cannot replay some
  // of them (an ALTER … TYPE … USING among them), and a run killed before the next checkpoint would leave a
  // warehouse nothing can open. Cheap when nothing changed.
  await connection.run('checkpoint');
}
