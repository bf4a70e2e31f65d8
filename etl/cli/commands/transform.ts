import { DAILY_BUILD, runDbt } from '../../pipeline/transform.ts';
import { EXIT } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { runLogged, step } from '../run-logged.ts';

/**
 * `rcm transform [-- dbt args]`: the daily build (seeds, models, data tests) by default; anything after `--` is
 * passed to dbt instead (`-- build` adds the unit tests). Exit code 4 when dbt fails.
 */
export async function transformCommand(argv: string[]): Promise<number> {
  const split = argv.indexOf('--');
  const own = split === -1 ? argv : argv.slice(0, split);
  const dbtArgs = split === -1 ? DAILY_BUILD : argv.slice(split + 1);
  const { values } = parseArgs({ args: own, options: warehouseOption });
  const { database } = resolveWarehouse(values);
  return runLogged(database, 'transform', async (run) =>
    (await step(run, 'dbt', () => runDbt(database, dbtArgs))) === 0 ? EXIT.ok : EXIT.dbtFailed,
  );
}
