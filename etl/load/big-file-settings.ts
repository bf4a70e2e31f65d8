import { availableParallelism } from 'node:os';
import type { DuckDBConnection } from '@duckdb/node-api';
import { BIG_FILE_LIMIT_NOTE, BIG_FILE_MEMORY_LIMIT } from '../config.ts';
import { isParsedInWorker } from './x12-parse-in-worker.ts';

/*
 * DuckDB's settings while a big X12 file (one parsed in a worker) loads. Such a file is alone in its transaction
 * (inbox.ts: 32 MiB a batch).
 *
 * Memory: BIG_FILE_MEMORY_LIMIT (config.ts) when the load runs at DuckDB's default limit (80 % of RAM). At the
 * default DuckDB keeps the blocks it has written in memory as a cache, and the 1 GB benchmark remittance peaked at
 * about 700 MB; under the limit at 342–392 MB, 13–23 % slower (docs/benchmarks.md, "A big file under a memory
 * limit of its own"). Appending needs little memory DuckDB cannot spill to disk: the segments of the table being
 * appended to and a row group as it is compressed.
 *
 * Threads: one fewer than the cores. The parsing worker keeps a core busy; a full row group is compressed while
 * the appending thread waits, and with a second DuckDB thread sharing that work the appending thread spun on
 * DuckDB's task queue meanwhile, taking CPU from the parser: on 2 cores one DuckDB thread loaded the benchmark
 * file in 5–20 % less wall time and 12–30 % less CPU (docs/benchmarks.md, "One DuckDB thread beside the parser").
 */

/** DuckDB's threads while a big file loads: the cores but the parser's, at least one. */
export function bigFileThreads(cores: number = availableParallelism()): number {
  return Math.max(1, cores - 1);
}

/**
 * Before a batch's transaction begins, when the batch holds a file parsed in a worker: DuckDB's threads down to
 * bigFileThreads(), and, when the load has no memory limit of its own (`configuredLimit`, RCM_MEMORY_LIMIT: who
 * set one chose what the load may use), its limit down to BIG_FILE_MEMORY_LIMIT. Returns what puts both back once
 * the batch is committed or given up. The settings are DuckDB's for the whole process, and a SET that fails inside
 * a transaction aborts it, hence outside; when DuckDB cannot come down to the limit (memory it cannot spill) the
 * batch runs at the default limit.
 */
export async function settingsForBigFiles(
  connection: DuckDBConnection,
  filePaths: string[],
  configuredLimit: string | undefined,
): Promise<() => Promise<void>> {
  const none = async () => {};
  if (!filePaths.some((filePath) => isBigFile(filePath))) return none;
  const restoreThreads = await setThreads(connection, bigFileThreads());
  let restoreMemory = none;
  try {
    if (configuredLimit === undefined) restoreMemory = await limitMemory(connection);
  } catch (error) {
    await restoreThreads();
    throw error;
  }
  return async () => {
    try {
      await restoreMemory();
    } finally {
      await restoreThreads();
    }
  };
}

/** Sets DuckDB's threads; returns what puts back the number it had. */
async function setThreads(connection: DuckDBConnection, threads: number): Promise<() => Promise<void>> {
  const reader = await connection.runAndReadAll("select current_setting('threads')::integer");
  const before = Number(reader.getRows()[0]?.[0]);
  if (!Number.isInteger(before) || before === threads) return async () => {};
  await connection.run(`set threads = ${threads}`);
  return () => connection.run(`set threads = ${before}`).then(() => {});
}

/** Lowers DuckDB's memory limit to BIG_FILE_MEMORY_LIMIT; returns what gives DuckDB back its default. */
async function limitMemory(connection: DuckDBConnection): Promise<() => Promise<void>> {
  // RESET is DuckDB's default: the limit this load ran at, as it configured none.
  const restore = () => connection.run('reset memory_limit').then(() => {});
  try {
    await connection.run(`set memory_limit = '${BIG_FILE_MEMORY_LIMIT}'`);
  } catch {
    // DuckDB 1.4 keeps the setting it refused (current_setting shows it; its buffer pool does not): undone.
    await restore();
    return async () => {};
  }
  return restore;
}

/** Whether the file is parsed in a worker, and loads under the settings above. */
function isBigFile(filePath: string): boolean {
  try {
    return isParsedInWorker(filePath);
  } catch {
    return false; // a file that vanished is reported by its own load
  }
}

/** Whether the file loads under BIG_FILE_MEMORY_LIMIT, in a load whose own limit is `configuredLimit`. */
export function loadsUnderBigFileLimit(filePath: string, configuredLimit: string | undefined): boolean {
  return configuredLimit === undefined && isBigFile(filePath);
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
