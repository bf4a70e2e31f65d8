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
