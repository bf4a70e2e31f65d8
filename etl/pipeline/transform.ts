import { repoRoot, venvBin } from '../config.ts';
import { checkWarehouseOpens } from '../warehouse/connection.ts';
import { pipelineEnv } from './offline-env.ts';
import { runProcess } from './run-process.ts';

/**
 * Builds the dbt project (models, seeds, data tests and unit tests) against the warehouse file.
 * The ETL must have closed the file first: DuckDB allows one read-write process per file.
 */
export async function runDbt(database: string, args: string[] = ['build']): Promise<number> {
  await checkWarehouseOpens(database);
  return runProcess(venvBin('dbt'), [...args, '--project-dir', repoRoot, '--profiles-dir', repoRoot], {
    cwd: repoRoot,
    env: pipelineEnv(database),
  });
}
