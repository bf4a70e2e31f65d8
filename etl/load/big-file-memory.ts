import type { DuckDBConnection } from '@duckdb/node-api';
import { BIG_FILE_LIMIT_NOTE, BIG_FILE_MEMORY_LIMIT } from '../config.ts';
import { isParsedInWorker } from './x12-parse-in-worker.ts';

/*
 * A big X12 file (one parsed in a worker) loads under BIG_FILE_MEMORY_LIMIT (config.ts) when the load runs at
 * DuckDB's default limit (80 % of RAM). At the default DuckDB keeps the blocks it has written in memory as a
 * cache, and the 1 GB benchmark remittance peaked at about 700 MB; under the limit at 342–392 MB, 13–23 % slower
 * (docs/benchmarks.md, "A big file under a memory limit of its own"). Appending needs little memory DuckDB cannot
 * spill to disk: the segments of the table being appended to and a row group as it is compressed. Such a file is
 * alone in its transaction (inbox.ts: 32 MiB a batch).
 */

/**
 * Before a batch's transaction begins: when the batch holds a file parsed in a worker and the load has no limit
 * of its own (`configuredLimit`, RCM_MEMORY_LIMIT: who set one chose what the load may use), lowers DuckDB's
 * limit to BIG_FILE_MEMORY_LIMIT. Returns what gives DuckDB back its default once the batch is committed or given
 * up. The limit is DuckDB's for the whole process, and a SET that fails inside a transaction aborts it, hence
 * outside; when DuckDB cannot come down to the limit (memory it cannot spill) the batch runs at the default.
 */
export async function limitMemoryForBigFiles(
  connection: DuckDBConnection,
  filePaths: string[],
  configuredLimit: string | undefined,
): Promise<() => Promise<void>> {
  const none = async () => {};
  if (!filePaths.some((filePath) => loadsUnderBigFileLimit(filePath, configuredLimit))) return none;
  // RESET is DuckDB's default: the limit this load ran at, as it configured none.
  const restore = () => connection.run('reset memory_limit').then(none);
  try {
    await connection.run(`set memory_limit = '${BIG_FILE_MEMORY_LIMIT}'`);
  } catch {
    // DuckDB 1.4 keeps the setting it refused (current_setting shows it; its buffer pool does not): undone.
    await restore();
    return none;
  }
  return restore;
}

/** Whether the file loads under BIG_FILE_MEMORY_LIMIT, in a load whose own limit is `configuredLimit`. */
export function loadsUnderBigFileLimit(filePath: string, configuredLimit: string | undefined): boolean {
  if (configuredLimit !== undefined) return false;
  try {
    return isParsedInWorker(filePath);
  } catch {
    return false; // a file that vanished is reported by its own load
  }
}

/** An out-of-memory error of a big file's load, naming the limit it ran under and the way out. */
export function withBigFileHint(error: unknown): unknown {
  if (error instanceof Error && /failed to pin block|could not allocate|out of memory/i.test(error.message)) {
    error.message +=
      ` (the load's memory limit is ${BIG_FILE_LIMIT_NOTE}, when RCM_MEMORY_LIMIT sets none: ` +
      'RCM_MEMORY_LIMIT=1GB, or any limit, loads it under that limit instead)';
  }
  return error;
}
