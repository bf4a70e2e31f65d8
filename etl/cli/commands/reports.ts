import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

export async function reportsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const { database } = resolveWarehouse(values);
  const code = await withRunLock(database, () => buildReports(database));
  if (code === 0)
    process.stdout.write(`reports built in ${reportsBuildDir}; serve them with: npx rcm serve\n`);
  return code;
}
