import { withRunLock } from '../../pipeline/run-lock.ts';
import { openWarehouse } from '../../warehouse/connection.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/** `rcm init` creates or upgrades the warehouse; it migrates, so it holds the run lock like every writer. */
export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  await withRunLock(paths.database, async () => {
    const warehouse = await openWarehouse(paths.database);
    warehouse.close();
  });
  process.stdout.write(`warehouse ready: ${paths.database}\n`);
  return 0;
}
