import { withRunLock } from '../../pipeline/run-lock.ts';
import { runDbt } from '../../pipeline/transform.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/** `rcm transform [-- dbt args]`: dbt build by default; anything after `--` is passed to dbt instead. */
export async function transformCommand(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const dbtArgs = split === -1 ? ['build'] : argv.slice(split + 1);
  const { values } = parseArgs({ args: own, options: warehouseOption });
  const { database } = resolveWarehouse(values);
  return withRunLock(database, () => runDbt(database, dbtArgs));
}
