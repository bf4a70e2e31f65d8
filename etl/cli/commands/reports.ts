import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { EXIT } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { runLogged, step } from '../run-logged.ts';

/**
 * `rcm reports [--out DIR]`: builds the report site from the marts, into reports/build unless told otherwise.
 * Exit code 5 when the build fails; the previous site stays in place.
 */
export async function reportsCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...warehouseOption, out: { type: 'string', default: reportsBuildDir } },
  });
  const { database } = resolveWarehouse(values);
  const code = await runLogged(database, 'reports', async (run) =>
    (await step(run, 'reports', () => buildReports(database, values.out))) === 0
      ? EXIT.ok
      : EXIT.reportsFailed,
  );
  if (code === EXIT.ok) {
    const serve = values.out === reportsBuildDir ? 'npx rcm serve' : `npx rcm serve --dir ${values.out}`;
    process.stdout.write(`reports built in ${values.out}; serve them with: ${serve}\n`);
  }
  return code;
}
