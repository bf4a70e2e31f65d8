import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { InboxOutcome } from '../load/inbox.ts';
import { RunLockHeldError, withRunLock } from '../pipeline/run-lock.ts';
import { deferRun, newRun, type RunRecord, runErrorText, writeRun } from '../warehouse/run-log.ts';
import { EXIT, outcomeOf } from './exit-codes.ts';

export type RunStep = 'load' | 'dbt' | 'reports';

/**
 * Runs a command that changes the warehouse under the run lock and records it in raw.runs. The row is written
 * by `rcm` alone, before and after the work, when no child process (dbt, Evidence) has the file open: DuckDB
 * allows one writing process. `startRow: false` skips the first write, for `recover`, whose warehouse may not
 * open until the work is done; the last write inserts the row in any case.
 */
export async function runLogged(
  database: string,
  command: string,
  work: (run: RunRecord) => Promise<number>,
  options: { startRow?: boolean } = {},
): Promise<number> {
  const run = newRun(command);
  try {
    return await withRunLock(database, async () => {
      try {
        if (options.startRow !== false) await writeRun(database, run);
        const code = await work(run);
        finish(run, code);
        return code;
      } catch (error) {
        finish(run, EXIT.error, error);
        throw error;
      } finally {
        await writeFinished(database, run);
        writeRunFile(database, run);
      }
    });
  } catch (error) {
    if (error instanceof RunLockHeldError) {
      finish(run, EXIT.lockHeld, error);
      deferRun(database, run);
    }
    throw error;
  }
}

/** Times one step of a run and records it as the step reached. */
export async function step<T>(run: RunRecord, name: RunStep, work: () => Promise<T>): Promise<T> {
  run.lastStep = name;
  const started = performance.now();
  try {
    return await work();
  } finally {
    const seconds = Math.round(performance.now() - started) / 1000;
    if (name === 'load') run.loadSeconds = seconds;
    else if (name === 'dbt') run.dbtSeconds = seconds;
    else run.reportsSeconds = seconds;
  }
}

/** The load step's figures: files by outcome and rows written. */
export function countLoad(run: RunRecord, outcomes: InboxOutcome[]): void {
  run.filesLoaded = outcomes.filter((o) => o.status === 'loaded').length;
  run.filesSkipped = outcomes.filter((o) => o.status === 'skipped').length;
  // An unreadable file counts with the quarantined: both need a look before the figures can be trusted.
  run.filesQuarantined = outcomes.filter(
    (o) => o.status === 'quarantined' || o.status === 'unreadable',
  ).length;
  run.rowsLoaded = outcomes.reduce((sum, o) => sum + (o.status === 'loaded' ? o.rowCount : 0), 0);
}

function finish(run: RunRecord, code: number, error?: unknown): void {
  run.finishedAt = new Date();
  run.exitCode = code;
  run.outcome = outcomeOf(code);
  if (error !== undefined) run.errorMessage = runErrorText(error);
}

/**
 * The run as one JSON file in logs/runs/ beside the warehouse, named so that a listing sorts by start time: for
 * log shippers and for reading a run when the warehouse itself is the problem. Same fields as raw.runs.
 */
function writeRunFile(database: string, run: RunRecord): void {
  try {
    const dir = path.join(path.dirname(database), 'logs', 'runs');
    mkdirSync(dir, { recursive: true });
    const stamp = run.startedAt.toISOString().replace(/[:.]/g, '-');
    writeFileSync(
      path.join(dir, `${stamp}_${run.command}_${run.runId}.json`),
      `${JSON.stringify(run, null, 2)}\n`,
    );
  } catch (error) {
    process.stderr.write(`rcm: the run's log file was not written: ${runErrorText(error)}\n`);
  }
}

async function writeFinished(database: string, run: RunRecord): Promise<void> {
  try {
    await writeRun(database, run);
  } catch (error) {
    // A warehouse that will not open (the error being reported) cannot take its row either; the command's own
    // message already says what happened, so this never changes the exit code.
    process.stderr.write(`rcm: the run log was not written: ${runErrorText(error)}\n`);
  }
}
