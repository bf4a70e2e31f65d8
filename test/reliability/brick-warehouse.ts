// Run as a child process by crash-recovery.test.ts: makes the warehouse the reliability issue found bricked.
// It applies the migrations the way releases before the checkpoint fix did (schema changes left in the
// write-ahead log), loads an inbox, and dies by SIGKILL before anything is checkpointed.
import { DuckDBInstance } from '@duckdb/node-api';
import { warehousePaths } from '../../etl/config.ts';
import { listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { migrations } from '../../etl/warehouse/migrations.ts';

const [database, inbox] = process.argv.slice(2) as [string, string];
const instance = await DuckDBInstance.create(database);
const connection = await instance.connect();
await connection.run('create schema raw');
await connection.run(
  'create table raw.schema_migrations (migration_id varchar primary key, applied_at timestamp not null)',
);
for (const migration of migrations) {
  for (const statement of migration.statements) await connection.run(statement);
  await connection.run('insert into raw.schema_migrations values ($id, current_timestamp)', {
    id: migration.id,
  });
}
await loadInboxFiles(connection, warehousePaths({}, database), listInbox(inbox));
process.kill(process.pid, 'SIGKILL');
