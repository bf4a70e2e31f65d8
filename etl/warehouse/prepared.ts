import type { DuckDBConnection, DuckDBPreparedStatement } from '@duckdb/node-api';

const cache = new WeakMap<DuckDBConnection, Map<string, DuckDBPreparedStatement>>();

/**
 * A prepared statement kept per connection: statements run once per loaded file (registry lookups and inserts)
 * are parsed and planned once per load instead of once per file.
 */
export async function preparedStatement(
  connection: DuckDBConnection,
  sql: string,
): Promise<DuckDBPreparedStatement> {
  let statements = cache.get(connection);
  if (!statements) {
    statements = new Map();
    cache.set(connection, statements);
  }
  let statement = statements.get(sql);
  if (!statement) {
    statement = await connection.prepare(sql);
    statements.set(sql, statement);
  }
  return statement;
}
