import { readdirSync } from 'node:fs';
import path from 'node:path';
import { openWarehouse } from './connection.ts';

/** A mart name as dbt writes it: a folder of that name under the Spark marts folder. */
const MART_NAME = /^[a-z][a-z0-9_]*$/;

/**
 * Makes the marts another engine wrote as Parquet (Spark: RCM_SPARK_MARTS_DIR/<mart>/part-*.parquet) the `marts`
 * schema of a DuckDB file, one view per folder, so the reports build from them as from DuckDB's own marts
 * (docs/spark.md). The file should be a reports-only warehouse: a view replaces a DuckDB mart of the same name.
 * Returns the marts linked.
 */
export async function linkParquetMarts(database: string, martsDir: string): Promise<string[]> {
  const root = path.resolve(martsDir);
  const marts = readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory() && MART_NAME.test(entry.name))
    .map((entry) => entry.name)
    .filter((name) => readdirSync(path.join(root, name)).some((file) => file.endsWith('.parquet')))
    .sort();
  if (marts.length === 0) throw new Error(`no mart folders with Parquet files in ${root}`);
  if (root.includes("'")) throw new Error(`the marts folder's path may not contain a quote: ${root}`);
  const warehouse = await openWarehouse(database);
  try {
    await warehouse.connection.run('create schema if not exists marts');
    for (const mart of marts) {
      const existing = await warehouse.connection.runAndReadAll(
        `select table_type from information_schema.tables where table_schema = 'marts' and table_name = '${mart}'`,
      );
      if (existing.getRows().some(([type]) => type === 'BASE TABLE')) {
        throw new Error(
          `marts.${mart} is a table in ${database}: link Spark's marts into a reports-only file`,
        );
      }
      await warehouse.connection.run(
        `create or replace view marts.${mart} as select * from read_parquet('${path.join(root, mart)}/*.parquet')`,
      );
    }
    await warehouse.connection.run('checkpoint');
  } finally {
    warehouse.close();
  }
  return marts;
}
