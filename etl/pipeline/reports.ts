import path from 'node:path';
import { repoRoot } from '../config.ts';
import { checkWarehouseOpens } from '../warehouse/connection.ts';
import { pipelineEnv } from './offline-env.ts';
import { runProcess } from './run-process.ts';

export const reportsBuildDir = path.join(repoRoot, 'reports', 'build');

/** Extracts the marts into Evidence and builds the static report site (scripts/build-reports.sh). */
export async function buildReports(database: string): Promise<number> {
  await checkWarehouseOpens(database);
  return runProcess('bash', [path.join(repoRoot, 'scripts', 'build-reports.sh')], {
    cwd: repoRoot,
    env: pipelineEnv(database),
  });
}
