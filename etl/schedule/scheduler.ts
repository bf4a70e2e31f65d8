import cron from 'node-cron';

/** What the scheduler reports: each due time started, skipped or finished. Written as one JSON line each. */
export type ScheduleEvent =
  | { event: 'scheduled'; at: string; cron: string; timezone: string; next_run: string | null }
  | { event: 'run_started'; at: string; due: string }
  | { event: 'run_finished'; at: string; due: string; exit_code: number; seconds: number }
  | { event: 'run_failed'; at: string; due: string; error: string; seconds: number }
  | { event: 'run_skipped'; at: string; due: string; reason: string }
  | { event: 'stopping'; at: string; waiting_for_run: boolean }
  | { event: 'stopped'; at: string };

export interface ScheduleOptions {
  cron: string;
  timezone: string;
  /** The work of one due time; resolves to its exit code. A rejection is logged and the schedule goes on. */
  job: () => Promise<number>;
  log: (event: ScheduleEvent) => void;
}

export interface Schedule {
  /** Stops taking due times; resolves once the run in progress (if any) has ended. */
  stop(): Promise<void>;
  isRunning(): boolean;
}

/**
 * Runs `job` at each due time of a cron expression (node-cron), one at a time: a due time that arrives while the
 * previous run is still going is skipped and logged rather than queued, so a slow day never piles runs up. A
 * failed run is logged and the next due time runs as usual.
 */
export function startSchedule(options: ScheduleOptions): Schedule {
  let current: Promise<void> | null = null;
  let startedAt = '';
  const now = () => new Date().toISOString();

  const onDue = (due: Date) => {
    const dueText = due.toISOString();
    if (current) {
      options.log({
        event: 'run_skipped',
        at: now(),
        due: dueText,
        reason: `the run started ${startedAt} is still going`,
      });
      return;
    }
    startedAt = now();
    options.log({ event: 'run_started', at: startedAt, due: dueText });
    const started = Date.now();
    const seconds = () => Math.round(Date.now() - started) / 1000;
    current = options
      .job()
      .then(
        (code) =>
          options.log({
            event: 'run_finished',
            at: now(),
            due: dueText,
            exit_code: code,
            seconds: seconds(),
          }),
        (error: unknown) =>
          options.log({
            event: 'run_failed',
            at: now(),
            due: dueText,
            error: error instanceof Error ? error.message : String(error),
            seconds: seconds(),
          }),
      )
      .finally(() => {
        current = null;
      });
  };

  const task = cron.schedule(options.cron, (context) => onDue(context.date), {
    timezone: options.timezone,
    name: 'rcm-daily-run',
  });
  options.log({
    event: 'scheduled',
    at: now(),
    cron: options.cron,
    timezone: options.timezone,
    next_run: task.getNextRun()?.toISOString() ?? null,
  });

  return {
    isRunning: () => current !== null,
    async stop() {
      await task.stop();
      await task.destroy();
      options.log({ event: 'stopping', at: now(), waiting_for_run: current !== null });
      if (current) await current;
      options.log({ event: 'stopped', at: now() });
    },
  };
}
