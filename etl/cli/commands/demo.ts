import path from 'node:path';
import { repoRoot, type WarehousePaths } from '../../config.ts';
import { listInbox } from '../../load/inbox.ts';
import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { runDbt } from '../../pipeline/transform.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { loadFiles, summarise } from './load.ts';

export const sampleInbox = path.join(repoRoot, 'samples', 'inbox');

/**
 * The main job on the bundled sample data: load the sample inbox, build the dbt project, build the reports.
 * Loading is idempotent, so running the demo again changes nothing in the warehouse.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  return withRunLock(paths.database, () => runDemo(paths));
}

async function runDemo(paths: WarehousePaths): Promise<number> {
  step(`loading ${path.relative(repoRoot, sampleInbox)} into ${paths.database}`);
  const outcomes = await loadFiles(paths, listInbox(sampleInbox));
  process.stdout.write(summarise(outcomes));
  if (outcomes.some((o) => o.status === 'quarantined' || o.status === 'unsupported')) return 1;

  step('dbt build');
  if ((await runDbt(paths.database)) !== 0) return 1;

  step('building the reports');
  if ((await buildReports(paths.database)) !== 0) return 1;

  process.stdout.write(
    `\nDone. Reports: ${reportsBuildDir}\nServe them with \`npx rcm serve\` and open http://127.0.0.1:3000/\n`,
  );
  return 0;
}

function step(message: string): void {
  process.stdout.write(`\n== ${message}\n`);
}
