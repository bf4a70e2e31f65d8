import { randomUUID } from 'node:crypto';
import { appendFileSync, existsSync, readFileSync, renameSync, rmSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { openWarehouse } from './connection.ts';

/** How a run ended (raw.runs.outcome; docs/usage.md lists the exit code of each). */
export type RunOutcome = 'ok' | 'quarantined' | 'dbt_failed' | 'reports_failed' | 'error' | 'lock_held';

/** One row of raw.runs: counts, times and outcome, nothing from a file's content. */
export interface RunRecord {
  runId: string;
  command: string;
  startedAt: Date;
  finishedAt: Date | null;
  outcome: RunOutcome | null;
  exitCode: number | null;
  lastStep: string | null;
  filesLoaded: number | null;
  filesSkipped: number | null;
  filesQuarantined: number | null;
  rowsLoaded: number | null;
  loadSeconds: number | null;
  dbtSeconds: number | null;
  reportsSeconds: number | null;
  errorMessage: string | null;
}

export function newRun(command: string, now: Date = new Date()): RunRecord {
  return {
    runId: randomUUID(),
    command,
    startedAt: now,
    finishedAt: null,
    outcome: null,
    exitCode: null,
    lastStep: null,
    filesLoaded: null,
    filesSkipped: null,
    filesQuarantined: null,
    rowsLoaded: null,
    loadSeconds: null,
    dbtSeconds: null,
    reportsSeconds: null,
    errorMessage: null,
  };
}

/**
 * The error text kept in the log: its first line, bounded. Errors that reach a run's top are about the run
 * (a lock, a warehouse that will not open, a missing folder), not rows; a bad file's reason stays in raw.files.
 */
export function runErrorText(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return (message.split('\n')[0] ?? '').slice(0, 300);
}

/**
 * Writes (or rewrites) the run's row: opens the warehouse, writes, closes. Called only while `rcm` holds the
 * run lock and no child process (dbt, Evidence) has the file open. Rows deferred by runs that found the lock
 * held are written first.
 */
export async function writeRun(database: string, run: RunRecord): Promise<void> {
  const warehouse = await openWarehouse(database);
  try {
    for (const pending of takeDeferredRuns(database)) await upsertRun(warehouse.connection, pending);
    await upsertRun(warehouse.connection, run);
  } finally {
    warehouse.close();
  }
}

/**
 * A run that found the lock held must not open the warehouse (its owner, or the owner's dbt, has it), so its
 * row waits as a JSON line beside the warehouse until the next run that holds the lock writes it.
 */
export function deferRun(database: string, run: RunRecord): void {
  // One short line per append: O_APPEND keeps concurrent writers' lines whole.
  appendFileSync(deferredFile(database), `${JSON.stringify(run)}\n`, { mode: 0o600 });
}

/** Deferred rows not yet written to the warehouse (status shows them). */
export function readDeferredRuns(database: string): RunRecord[] {
  const file = deferredFile(database);
  return existsSync(file) ? parseDeferred(readFileSync(file, 'utf8')) : [];
}

function deferredFile(database: string): string {
  return `${database}.runs-pending`;
}

function takeDeferredRuns(database: string): RunRecord[] {
  const file = deferredFile(database);
  if (!existsSync(file)) return [];
  // Renamed first, so a line appended meanwhile lands in a new file rather than being deleted unread.
  const taken = `${file}.${process.pid}`;
  renameSync(file, taken);
  const runs = parseDeferred(readFileSync(taken, 'utf8'));
  rmSync(taken, { force: true });
  return runs;
}

function parseDeferred(text: string): RunRecord[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => {
      const run = JSON.parse(line) as RunRecord & { startedAt: string; finishedAt: string | null };
      return {
        ...run,
        startedAt: new Date(run.startedAt),
        finishedAt: run.finishedAt === null ? null : new Date(run.finishedAt),
      };
    });
}

/** DuckDB `timestamp` text in UTC. */
function utc(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace('T', ' ').replace('Z', '');
}

async function upsertRun(connection: DuckDBConnection, run: RunRecord): Promise<void> {
  await connection.run(
    `insert or replace into raw.runs values (
       $run_id, $command, $started_at::timestamp, $finished_at::timestamp, $outcome, $exit_code::integer,
       $last_step, $files_loaded::integer, $files_skipped::integer, $files_quarantined::integer,
       $rows_loaded::bigint, $load_seconds::double, $dbt_seconds::double, $reports_seconds::double,
       $error_message)`,
    {
      run_id: run.runId,
      command: run.command,
      started_at: utc(run.startedAt),
      finished_at: utc(run.finishedAt),
      outcome: run.outcome,
      exit_code: run.exitCode,
      last_step: run.lastStep,
      files_loaded: run.filesLoaded,
      files_skipped: run.filesSkipped,
      files_quarantined: run.filesQuarantined,
      rows_loaded: run.rowsLoaded,
      load_seconds: run.loadSeconds,
      dbt_seconds: run.dbtSeconds,
      reports_seconds: run.reportsSeconds,
      error_message: run.errorMessage,
    },
  );
}
