import path from 'node:path';
import { repoRoot } from '../config.ts';
import { checkWarehouseOpens } from '../warehouse/connection.ts';
import { pipelineEnv } from './offline-env.ts';
import { runProcess } from './run-process.ts';

/** Where the report site is built and served from unless a command is given another folder. */
export const reportsBuildDir = path.join(repoRoot, 'reports', 'build');

/**
 * Extracts the marts into Evidence and builds the static report site into `outDir` (scripts/build-reports.sh,
 * which builds in a private copy of reports/ and replaces `outDir` only once the build has succeeded).
 */
export async function buildReports(database: string, outDir: string = reportsBuildDir): Promise<number> {
  await checkWarehouseOpens(database);
  return runProcess('bash', [path.join(repoRoot, 'scripts', 'build-reports.sh')], {
    cwd: repoRoot,
    env: { ...pipelineEnv(database), RCM_REPORTS_OUT: path.resolve(outDir) },
  });
}
