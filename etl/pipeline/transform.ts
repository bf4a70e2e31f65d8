import { repoRoot, venvBin } from '../config.ts';
import { settingsDbtVars } from '../settings/dbt-vars.ts';
import { loadSettings } from '../settings/load.ts';
import type { Settings } from '../settings/schema.ts';
import { checkWarehouseOpens } from '../warehouse/connection.ts';
import { pipelineEnv } from './offline-env.ts';
import { runProcess } from './run-process.ts';

/**
 * What `rcm run` and `rcm transform` build: seeds, models and data tests. dbt's unit tests check the SQL on fixed
 * fixtures, not the practice's data, so they give the same answer every day; they run in the test suite
 * (test/models/unit-tests.test.ts) and with `rcm transform -- build`, and stay out of the daily run, where they
 * took about half of the build's time on a small practice.
 */
export const DAILY_BUILD: readonly string[] = ['build', '--exclude-resource-type', 'unit_test'];

/**
 * Runs dbt (by default the daily build) against the warehouse file, with the practices' settings
 * (rcm.config.yaml) as dbt vars. The ETL must have closed the file first: DuckDB allows one read-write process
 * per file.
 */
export async function runDbt(
  database: string,
  args: readonly string[] = DAILY_BUILD,
  settings: Settings = loadSettings().settings,
): Promise<number> {
  await checkWarehouseOpens(database);
  const vars = takesVars(args) ? ['--vars', JSON.stringify(settingsDbtVars(settings))] : [];
  return runProcess(
    venvBin('dbt'),
    [...args, ...vars, '--project-dir', repoRoot, '--profiles-dir', repoRoot],
    {
      cwd: repoRoot,
      env: pipelineEnv(database),
    },
  );
}

/** dbt commands that read models (and so the vars), unless the caller passes vars of its own. */
const COMMANDS_WITH_VARS = new Set([
  'build',
  'run',
  'test',
  'seed',
  'snapshot',
  'compile',
  'show',
  'list',
  'ls',
  'docs',
  'source',
  'run-operation',
  'parse',
]);

function takesVars(args: readonly string[]): boolean {
  return COMMANDS_WITH_VARS.has(args[0] ?? '') && !args.includes('--vars');
}
