import { type ChildProcess, spawn } from 'node:child_process';
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import cron from 'node-cron';
import { repoRoot } from '../../config.ts';
import { type ScheduleEvent, startSchedule } from '../../schedule/scheduler.ts';
import { loadSettings, SettingsError } from '../../settings/load.ts';
import { EXIT } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/**
 * `rcm schedule`: stays running and starts `rcm run` at each due time of the settings' `schedule.cron` (or
 * --cron). Each run is its own process, so a crash or out-of-memory in one run never takes the schedule down.
 * SIGINT/SIGTERM stop taking due times and wait for the run in progress (a second signal ends that run too:
 * runs are crash-safe). Every event is a line on stdout and a JSON line in logs/schedule.jsonl beside the
 * warehouse.
 */
export async function scheduleCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { ...warehouseOption, cron: { type: 'string' }, timezone: { type: 'string' } },
  });
  const { settings } = loadSettings();
  const expression = values.cron ?? settings.schedule?.cron;
  if (!expression) {
    throw new SettingsError(
      'schedule.cron: expected a cron expression in the settings file (or --cron), e.g. "30 6 * * 1-5"',
    );
  }
  if (!cron.validate(expression)) {
    throw new SettingsError(`--cron: expected a cron expression such as "30 6 * * 1-5", got "${expression}"`);
  }
  const timezone =
    values.timezone ?? settings.schedule?.timezone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
  const { database } = resolveWarehouse(values);
  const logFile = path.join(path.dirname(database), 'logs', 'schedule.jsonl');
  mkdirSync(path.dirname(logFile), { recursive: true });

  const log = (event: ScheduleEvent) => {
    appendFileSync(logFile, `${JSON.stringify(event)}\n`);
    process.stdout.write(`${describe(event)}\n`);
  };

  let child: ChildProcess | null = null;
  const job = () =>
    new Promise<number>((resolve, reject) => {
      const runArgs = [path.join(repoRoot, 'bin', 'rcm.mjs'), 'run', '--warehouse', database, ...positionals];
      child = spawn(process.execPath, runArgs, { stdio: ['ignore', 'inherit', 'inherit'] });
      child.on('error', reject);
      child.on('close', (code, signal) => {
        child = null;
        resolve(code ?? (signal ? 128 : EXIT.error));
      });
    });

  // The signal handlers go in before the schedule starts (and says so): a SIGTERM that arrives the moment the
  // "scheduled" line is out must find them, or node's default action ends the process.
  let schedule: ReturnType<typeof startSchedule> | null = null;
  let stopRequested: (() => void) | null = null;
  const stopped = new Promise<void>((resolve) => {
    let signals = 0;
    const onSignal = (signal: NodeJS.Signals) => {
      signals += 1;
      if (signals === 1) {
        if (schedule?.isRunning()) {
          process.stdout.write(
            `${signal}: stopping after the run in progress (${signal} again ends it now)\n`,
          );
        }
        stopRequested = () => void (schedule as ReturnType<typeof startSchedule>).stop().then(resolve);
        if (schedule) stopRequested();
      } else {
        (child as ChildProcess | null)?.kill('SIGTERM');
      }
    };
    process.on('SIGINT', onSignal);
    process.on('SIGTERM', onSignal);
  });
  schedule = startSchedule({ cron: expression, timezone, job, log });
  // A signal that came while the schedule was starting is acted on now.
  (stopRequested as (() => void) | null)?.();
  await stopped;
  return EXIT.ok;
}

function describe(event: ScheduleEvent): string {
  switch (event.event) {
    case 'scheduled':
      return `${event.at} scheduled: rcm run at "${event.cron}" (${event.timezone}); next ${event.next_run ?? 'never'}`;
    case 'run_started':
      return `${event.at} run started (due ${event.due})`;
    case 'run_finished':
      return `${event.at} run ended with exit code ${event.exit_code} after ${event.seconds} s`;
    case 'run_failed':
      return `${event.at} run could not start: ${event.error}`;
    case 'run_skipped':
      return `${event.at} run due ${event.due} skipped: ${event.reason}`;
    case 'stopping':
      return `${event.at} stopping${event.waiting_for_run ? ': waiting for the run in progress' : ''}`;
    case 'stopped':
      return `${event.at} stopped`;
  }
}
