import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { generate } from '../../generate/index.ts';
import { reportsBuildDir } from '../../pipeline/reports.ts';
import { EXIT } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { runLogged } from '../run-logged.ts';
import { dailyRun, heading } from './run.ts';

/**
 * The main job on the bundled sample data: the generator's default practice (one practice, six providers,
 * 24 months, seed `rcm-demo`, with the 837P batches) is written beside the warehouse, then run as `rcm run` would
 * (load, dbt build, reports). Generation is deterministic and loading idempotent, so running the demo again changes
 * nothing; a sample written before the demo carried 837Ps is written again, adding them.
 */
export async function demoCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  return runLogged(paths.database, 'demo', async (run) => {
    const inbox = path.join(path.dirname(paths.database), 'sample-inbox');
    if (hasDemoSample(inbox)) {
      heading(`sample practice already generated in ${inbox}`);
    } else {
      heading(`generating the sample practice into ${inbox}`);
      const manifest = await generate({ outDir: inbox, overwrite: true, emit837: true });
      process.stdout.write(
        `${manifest.files.length} files, ${manifest.period.start} .. ${manifest.period.end}\n`,
      );
    }
    const code = await dailyRun(paths, inbox, run);
    if (code === EXIT.ok) {
      process.stdout.write(
        `\nDone. Reports: ${reportsBuildDir}\nServe them with \`npx rcm serve\` and open http://127.0.0.1:3000/\n`,
      );
    }
    return code;
  });
}

/** Whether the inbox holds the demo sample as this version writes it (837P batches included). */
function hasDemoSample(inbox: string): boolean {
  const file = path.join(inbox, 'manifest.json');
  if (!existsSync(file)) return false;
  const manifest = JSON.parse(readFileSync(file, 'utf8')) as { options?: { emit837?: unknown } };
  return manifest.options?.emit837 === true;
}
