import { existsSync } from 'node:fs';
import path from 'node:path';
import type { WarehousePaths } from '../../config.ts';
import { generate } from '../../generate/index.ts';
import { listInbox } from '../../load/inbox.ts';
import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { runDbt } from '../../pipeline/transform.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { loadFiles, summarise } from './load.ts';

/**
 * The main job on the bundled sample data: the generator's default practice (one practice, six providers,
 * 24 months, seed `rcm-demo`) is written beside the warehouse, loaded, modelled with dbt and reported.
 * Generation is deterministic and loading idempotent, so running the demo again changes nothing.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  return withRunLock(paths.database, () => runDemo(paths));
}

async function runDemo(paths: WarehousePaths): Promise<number> {
  const inbox = path.join(path.dirname(paths.database), 'sample-inbox');
  if (existsSync(path.join(inbox, 'manifest.json'))) {
    step(`sample practice already generated in ${inbox}`);
  } else {
    step(`generating the sample practice into ${inbox}`);
    const manifest = await generate({ outDir: inbox, overwrite: true });
    process.stdout.write(
      `${manifest.files.length} files, ${manifest.period.start} .. ${manifest.period.end}\n`,
    );
  }

  step(`loading ${inbox} into ${paths.database}`);
  const outcomes = await loadFiles(paths, listInbox(inbox));
  process.stdout.write(summarise(outcomes));
  if (outcomes.some((o) => o.status === 'quarantined')) return 1;

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
