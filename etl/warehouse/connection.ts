import { chmodSync, existsSync, mkdirSync, renameSync, rmSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { migrate } from './migrations.ts';

export interface Warehouse {
  instance: DuckDBInstance;
  connection: DuckDBConnection;
  close(): void;
}

/**
 * Opens the warehouse file read-write and brings the raw schema up to date.
 * DuckDB allows one read-write process per file, so the pipeline opens it, does its work and closes it
 * before dbt or Evidence open the same file.
 */
export async function openWarehouse(
  database: string,
  options: { memoryLimit?: string; checkpointThreshold?: string } = {},
): Promise<Warehouse> {
  mkdirSync(path.dirname(database), { recursive: true, mode: 0o700 });
  if (!existsSync(database)) await createDatabaseFile(database);
  const instance = await createInstance(database, {
    ...(options.memoryLimit ? { memory_limit: options.memoryLimit } : {}),
    ...(options.checkpointThreshold ? { checkpoint_threshold: options.checkpointThreshold } : {}),
  });
  // Warehouses made before files were created owner-only are tightened here (docs/security.md).
  for (const file of [database, `${database}.wal`]) if (existsSync(file)) chmodSync(file, 0o600);
  const connection = await instance.connect();
  await migrate(connection);
  return warehouseOf(instance, connection);
}

/**
 * Opens the warehouse and closes it again before another process (dbt, Evidence) opens the file: it surfaces a
 * log that cannot be replayed as a WalReplayError with its remedy, and leaves the file checkpointed, so the
 * next process starts with no schema change pending in the log.
 */
export async function checkWarehouseOpens(database: string): Promise<void> {
  (await openWarehouse(database)).close();
}

/** Opens an existing warehouse read-only: for inspection and tests, never for loading. */
export async function openWarehouseReadOnly(database: string): Promise<Warehouse> {
  const instance = await createInstance(database, { access_mode: 'READ_ONLY' });
  return warehouseOf(instance, await instance.connect());
}

function warehouseOf(instance: DuckDBInstance, connection: DuckDBConnection): Warehouse {
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/**
 * A warehouse whose write-ahead log DuckDB cannot replay: a run was killed while the log held schema changes
 * (DuckDB 1.4 cannot replay some of them). Everything up to the last checkpoint is intact in the main file,
 * and everything after it can be re-loaded from the archive: `rcm recover` does both.
 */
export class WalReplayError extends Error {
  readonly database: string;
  constructor(database: string, cause: string) {
    super(
      `the warehouse ${database} cannot be opened: a run that was interrupted (killed, power cut, out of memory) ` +
        `left a write-ahead log (${database}.wal) that DuckDB cannot replay.\n` +
        'Nothing that was loaded is lost. Run `rcm recover` (with the same --warehouse): it sets the log aside, ' +
        'opens the warehouse at its last checkpoint and re-loads from the archive every file the registry lacks; ' +
        'then run `rcm transform` and `rcm reports` again (docs/reliability.md).\n' +
        `DuckDB said: ${cause.split('\n')[0]}`,
    );
    this.name = 'WalReplayError';
    this.database = database;
  }
}

export function isWalReplayFailure(error: unknown): boolean {
  return /Failure while replaying WAL file/i.test((error as Error)?.message ?? '');
}

/**
 * A new warehouse file is made whole beside its final name and renamed into place: DuckDB creates the file before
 * it writes its header, so a kill in between would leave a file that exists yet is no database.
 */
async function createDatabaseFile(database: string): Promise<void> {
  const partial = `${database}.creating`;
  for (const file of [partial, `${partial}.wal`]) rmSync(file, { force: true });
  const instance = await DuckDBInstance.create(partial);
  instance.closeSync();
  rmSync(`${partial}.wal`, { force: true });
  renameSync(partial, database);
}

async function createInstance(database: string, config: Record<string, string>): Promise<DuckDBInstance> {
  try {
    return await DuckDBInstance.create(database, config);
  } catch (error) {
    if (isWalReplayFailure(error)) throw new WalReplayError(database, (error as Error).message);
    throw error;
  }
}
