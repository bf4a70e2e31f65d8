import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';
import { migrationFile, sqlStatements } from '../../etl/warehouse/migrations.ts';

/**
 * The migrations a first-release warehouse ran, in the order that code ran them (0010 was registered before
 * 0004 existed). 0001, 0002 and 0010 are today's files, statement for statement; 0003 then created the six
 * quantity columns as DOUBLE (the fixture is that code's output, commit 5ab3ffa), which 0004 converts.
 */
export const FIRST_RELEASE_FILES = [
  fileURLToPath(migrationFile('0001_file_registry')),
  fileURLToPath(migrationFile('0002_era_remittances_and_claims')),
  fileURLToPath(new URL('../fixtures/migrations/0003_x12_engine_tables.first-release.sql', import.meta.url)),
  fileURLToPath(migrationFile('0010_pm_raw_tables')),
];

/** A warehouse as older code left it: each file's statements run and recorded under its id, in this order. */
export async function applyAsOldCode(connection: DuckDBConnection, files: string[]): Promise<void> {
  await connection.run('create schema raw');
  await connection.run(
    'create table raw.schema_migrations (migration_id varchar primary key, applied_at timestamp not null)',
  );
  for (const file of files) {
    for (const statement of sqlStatements(readFileSync(file, 'utf8'))) await connection.run(statement);
    await connection.run('insert into raw.schema_migrations values ($id, current_timestamp)', {
      id: path.basename(file).replace(/\..*$/, ''),
    });
  }
}
