import { openWarehouse } from '../../warehouse/connection.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

export async function initCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  const warehouse = await openWarehouse(paths.database);
  warehouse.close();
  process.stdout.write(`warehouse ready: ${paths.database}\n`);
  return 0;
}
