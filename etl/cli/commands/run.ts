import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { WarehousePaths } from '../../config.ts';
import { listInbox } from '../../load/inbox.ts';
import { buildReports, reportsBuildDir } from '../../pipeline/reports.ts';
import { runDbt } from '../../pipeline/transform.ts';
import { loadSettings } from '../../settings/load.ts';
import type { Settings } from '../../settings/schema.ts';
import type { RunRecord } from '../../warehouse/run-log.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { countLoad, runLogged, step } from '../run-logged.ts';
import { loadFiles, summarise } from './load.ts';

/**
 * `rcm run [INBOX]`: the daily job. Loads the inbox (default: `inbox/` beside the warehouse, or RCM_INBOX),
 * builds the dbt project, builds the reports. The first failed step ends the run with its own exit code
 * (3 quarantined, 4 dbt, 5 reports); the report site is replaced only by a successful build, so a failed run
 * leaves the previous reports in place. Loading is idempotent, so a second run on the same inbox loads nothing.
 */
export async function runCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...warehouseOption, out: { type: 'string' } },
  });
  if (positionals.length > 1) throw new UsageError('one inbox folder at most');
  const paths = resolveWarehouse(values);
  const inbox = path.resolve(positionals[0] ?? defaultInbox(paths));
  if (!existsSync(inbox) || !statSync(inbox).isDirectory()) {
    throw new UsageError(`the inbox ${inbox} is not a folder (name one: rcm run INBOX)`);
  }
  const out = values.out ?? loadSettings().settings.reports_out ?? reportsBuildDir;
  return runLogged(paths.database, 'run', (run) => dailyRun(paths, inbox, run, out));
}

/** Where `rcm run` looks without an argument: RCM_INBOX, the settings' `inbox`, else inbox/ beside the warehouse. */
export function defaultInbox(paths: WarehousePaths, settings: Settings = loadSettings().settings): string {
  return settings.inbox ?? path.join(path.dirname(paths.database), 'inbox');
}

/** Load, dbt build, reports; each step only after the one before succeeded. The caller holds the run lock. */
export async function dailyRun(
  paths: WarehousePaths,
  inbox: string,
  run: RunRecord,
  reportsOut: string = reportsBuildDir,
): Promise<number> {
  heading(`loading ${inbox} into ${paths.database}`);
  const outcomes = await step(run, 'load', () => loadFiles(paths, listInbox(inbox)));
  countLoad(run, outcomes);
  process.stdout.write(summarise(outcomes));
  if (run.filesQuarantined !== 0) {
    process.stdout.write(
      'stopped: quarantined or unreadable files need a look (listed above; rcm status lists the quarantined)\n',
    );
    return EXIT.quarantined;
  }

  heading('dbt build');
  if ((await step(run, 'dbt', () => runDbt(paths.database))) !== 0) {
    process.stdout.write('stopped: dbt build failed; the previous reports stay in place\n');
    return EXIT.dbtFailed;
  }

  heading('building the reports');
  if ((await step(run, 'reports', () => buildReports(paths.database, reportsOut))) !== 0) {
    process.stdout.write('stopped: the report build failed; the previous reports stay in place\n');
    return EXIT.reportsFailed;
  }
  process.stdout.write(`\nrun ${run.runId} done; reports in ${reportsOut}\n`);
  return EXIT.ok;
}

export function heading(message: string): void {
  process.stdout.write(`\n== ${message}\n`);
}
