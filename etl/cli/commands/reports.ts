import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/** `rcm reports [--out DIR]`: builds the report site from the marts, into reports/build unless told otherwise. */
export async function reportsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...warehouseOption, out: { type: 'string', default: reportsBuildDir } },
  });
  const { database } = resolveWarehouse(values);
  const code = await withRunLock(database, () => buildReports(database, values.out));
  if (code === 0) {
    const serve = values.out === reportsBuildDir ? 'npx rcm serve' : `npx rcm serve --dir ${values.out}`;
    process.stdout.write(`reports built in ${values.out}; serve them with: ${serve}\n`);
  }
  return code;
}
