import type { DuckDBConnection } from '@duckdb/node-api';

/**
 * Rolls back the connection's transaction, if one is still open. A commit that failed (out of memory, a conflict)
 * has already ended its transaction, and a rollback then throws "no transaction is active", which would stand in
 * for the error that says what went wrong.
 */
export async function rollbackIfOpen(connection: DuckDBConnection): Promise<void> {
  try {
    await connection.run('rollback');
  } catch (error) {
    if (!/no transaction is active/i.test((error as Error)?.message ?? '')) throw error;
  }
}
