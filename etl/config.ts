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

/**
 * DuckDB's memory limit while loading, from `RCM_MEMORY_LIMIT` (e.g. "512MB"); undefined leaves DuckDB's default
 * (80% of RAM). A practice machine shared with other programs can bound the load this way; DuckDB spills to
 * temporary files beside the warehouse rather than exceed it.
 */
export function loadMemoryLimit(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return memoryLimitSchema.parse(env.RCM_MEMORY_LIMIT);
}

/**
 * DuckDB's memory limit while an X12 file big enough to be parsed in a worker loads, when RCM_MEMORY_LIMIT sets
 * none (etl/load/big-file-settings.ts).
 */
export const BIG_FILE_MEMORY_LIMIT = '64MB';
/** When the big-file limit holds, as a load's out-of-memory advice says it (32 MiB: WORKER_MIN_BYTES). */
export const BIG_FILE_LIMIT_NOTE = `${BIG_FILE_MEMORY_LIMIT} while an X12 file of 32 MiB or more loads`;

/**
 * DuckDB's advice on running out of memory names its own setting; a load's (`rcm load`, `rcm run`, `rcm recover`)
 * is RCM_MEMORY_LIMIT.
 */
export function withMemoryHint(error: unknown, memoryLimit: string | undefined): unknown {
  if (
    !(error instanceof Error) ||
    !/failed to pin block|could not allocate|out of memory/i.test(error.message)
  ) {
    return error;
  }
  error.message +=
    `\nThe load's memory limit is ${memoryLimit ?? `DuckDB's default (80% of RAM; ${BIG_FILE_LIMIT_NOTE})`}: ` +
    'raise it with RCM_MEMORY_LIMIT (e.g. RCM_MEMORY_LIMIT=1GB), then run the load again; what was committed stays.';
  return error;
}

const UNIT_BYTES: Record<string, number> = {
  kb: 1e3,
  mb: 1e6,
  gb: 1e9,
  kib: 1024,
  mib: 1024 ** 2,
  gib: 1024 ** 3,
};
/** Below this DuckDB cannot hold even one row group per table being loaded. */
const MIN_MEMORY_BYTES = 32e6;

const memoryLimitSchema = z
  .string()
  .regex(/^\d+(\.\d+)?\s*(KB|MB|GB|KiB|MiB|GiB)$/i, 'RCM_MEMORY_LIMIT: a size such as 512MB or 2GB')
  .refine((size) => {
    const [, amount, unit] = /^([\d.]+)\s*(\w+)$/.exec(size) ?? [];
    return Number(amount) * (UNIT_BYTES[(unit ?? '').toLowerCase()] ?? 0) >= MIN_MEMORY_BYTES;
  }, 'RCM_MEMORY_LIMIT: at least 32MB')
  .optional();

/** The project-local Python venv's executables (created by scripts/setup-python.sh). */
export function venvBin(name: string): string {
  const bin = path.join(repoRoot, '.venv', 'bin', name);
  if (!existsSync(bin)) {
    throw new Error(`${bin} is missing: run \`npm install\` (it creates the .venv with requirements.txt)`);
  }
  return bin;
}

/**
 * Files per load transaction from `RCM_LOAD_BATCH_FILES` (default 400; 1 commits each file alone, as a
 * benchmark baseline or on a machine where a redone batch is costly). Enough that the commit's cost (a
 * write-ahead-log flush) vanishes per file, few enough that a batch undone by a bad file or a crash costs little to
 * redo: 400 loaded 10 practices' history 13 % faster than 100, and 50 practices' 20 % (docs/benchmarks.md).
 */
export function loadBatchFiles(env: NodeJS.ProcessEnv = process.env): number {
  return z.coerce
    .number()
    .int()
    .min(1, 'RCM_LOAD_BATCH_FILES: a whole number of files, at least 1')
    .max(10_000, 'RCM_LOAD_BATCH_FILES: at most 10000')
    .default(400)
    .parse(env.RCM_LOAD_BATCH_FILES);
}
