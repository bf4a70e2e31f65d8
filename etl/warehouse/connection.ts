import { mkdirSync } from 'node:fs';
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
  options: { memoryLimit?: string } = {},
): Promise<Warehouse> {
  mkdirSync(path.dirname(database), { recursive: true });
  const instance = await DuckDBInstance.create(
    database,
    options.memoryLimit ? { memory_limit: options.memoryLimit } : {},
  );
  const connection = await instance.connect();
  await migrate(connection);
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Opens an existing warehouse read-only: for inspection and tests, never for loading. */
export async function openWarehouseReadOnly(database: string): Promise<Warehouse> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  return {
    instance,
    connection,
    close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

/** Runs `work` in one transaction: it commits whole or rolls back whole. */
export async function inTransaction<T>(connection: DuckDBConnection, work: () => Promise<T>): Promise<T> {
  await connection.run('begin transaction');
  try {
    const result = await work();
    await connection.run('commit');
    return result;
  } catch (error) {
    await connection.run('rollback');
    throw error;
  }
}
