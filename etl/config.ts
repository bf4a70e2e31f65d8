import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

/** Repository root: the folder holding package.json, dbt_project.yml and reports/. */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

const envSchema = z.object({
  RCM_WAREHOUSE: z.string().min(1).optional(),
  RCM_DATA_DIR: z.string().min(1).optional(),
});

export interface WarehousePaths {
  /** The DuckDB file. */
  database: string;
  /** Content-addressed copies of every file that was loaded. */
  archiveDir: string;
  /** Files that could not be loaded, each beside a JSON error report. */
  quarantineDir: string;
}

/**
 * Where the warehouse lives. Default `warehouse/rcm.duckdb` under the repository;
 * `RCM_WAREHOUSE` (a file path) overrides it, and the archive and quarantine folders sit beside it.
 */
export function warehousePaths(env: NodeJS.ProcessEnv = process.env, override?: string): WarehousePaths {
  const parsed = envSchema.parse(env);
  const database = path.resolve(
    override ?? parsed.RCM_WAREHOUSE ?? path.join(repoRoot, 'warehouse', 'rcm.duckdb'),
  );
  const dir = path.dirname(database);
  return {
    database,
    archiveDir: path.join(dir, 'archive'),
    quarantineDir: path.join(dir, 'quarantine'),
  };
}

/** The project-local Python venv's executables (created by scripts/setup-python.sh). */
export function venvBin(name: string): string {
  const bin = path.join(repoRoot, '.venv', 'bin', name);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`npm install\` (it creates the .venv with requirements.txt)`);
  }
  return bin;
}
