import { withRunLock } from '../../pipeline/run-lock.ts';
import { exportRaw } from '../../warehouse/export-raw.ts';
import { linkParquetMarts } from '../../warehouse/parquet-marts.ts';
import { UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/** `rcm export-raw --out DIR`: the raw layer as Parquet, the hand-off to the Spark target (docs/spark.md). */
export async function exportRawCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...warehouseOption, out: { type: 'string' } } });
  if (values.out === undefined) throw new UsageError('--out DIR is required');
  const out = values.out;
  const { database } = resolveWarehouse(values);
  const manifest = await withRunLock(database, () => exportRaw(database, out));
  const rows = manifest.tables.reduce((sum, table) => sum + table.rows, 0);
  const partitioned = manifest.tables.filter((table) => table.partitionedBy !== null).length;
  process.stdout.write(
    `exported ${manifest.tables.length} raw tables (${rows} rows; ${partitioned} partitioned by practice_id) to ${out}\n`,
  );
  return 0;
}

/** `rcm link-marts --from DIR`: Spark's Parquet marts as the `marts` views of a DuckDB file, for the reports. */
export async function linkMartsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...warehouseOption, from: { type: 'string' } } });
  if (values.from === undefined) throw new UsageError('--from DIR is required');
  const from = values.from;
  const { database } = resolveWarehouse(values);
  const marts = await withRunLock(database, () => linkParquetMarts(database, from));
  process.stdout.write(`linked ${marts.length} marts from ${from} into ${database}: ${marts.join(', ')}\n`);
  return 0;
}
