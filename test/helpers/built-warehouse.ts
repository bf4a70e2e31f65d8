import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import { runRcm } from './run-rcm.ts';

export type Query = (sql: string) => Promise<unknown[][]>;

/** Loads an inbox into a fresh warehouse, runs the real `dbt build` (or `-- ARGS`), opens the result read-only. */
export async function buildWarehouse(
  database: string,
  inbox: string,
  dbtArgs: string[] = [],
): Promise<{ query: Query; close: () => void }> {
  const load = runRcm(['load', inbox, '--warehouse', database]);
  expect(load.code, load.stdout + load.stderr).toBe(0);
  const dbt = runRcm(['transform', '--warehouse', database, ...dbtArgs]);
  expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  let closed = false;
  return {
    query: async (sql) => (await connection.runAndReadAll(sql)).getRows(),
    // once: a test may close it early (to write to the file) and afterAll close it again
    close: () => {
      if (closed) return;
      closed = true;
      connection.closeSync();
      instance.closeSync();
    },
  };
}
