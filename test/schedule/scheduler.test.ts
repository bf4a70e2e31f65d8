import { afterEach, describe, expect, it, vi } from 'vitest';
import { type ScheduleEvent, startSchedule } from '../../etl/schedule/scheduler.ts';

/** A job whose end the test decides: each call returns a promise the test settles by index. */
function controllableJob() {
  const pending: { resolve: (code: number) => void; reject: (error: Error) => void }[] = [];
  const job = () =>
    new Promise<number>((resolve, reject) => {
      pending.push({ resolve, reject });
    });
  return { job, pending };
}

const minutes = (n: number) => n * 60_000;

describe('the daily-run scheduler on a fake clock', () => {
  afterEach(() => vi.useRealTimers());

  it('runs at each due time, skips a due time that finds the previous run going, survives a failed run', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T05:59:00Z') });
    const events: ScheduleEvent[] = [];
    const { job, pending } = controllableJob();
    const schedule = startSchedule({ cron: '0 * * * *', timezone: 'UTC', job, log: (e) => events.push(e) });
    expect(events[0]).toMatchObject({ event: 'scheduled', next_run: '2026-03-02T06:00:00.000Z' });

    await vi.advanceTimersByTimeAsync(minutes(1)); // 06:00 due: run 1 starts
    expect(pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(minutes(60)); // 07:00 due while run 1 still goes: skipped, not queued
    expect(pending).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(minutes(15));
    pending[0]?.resolve(0); // run 1 ends at 07:15
    await vi.advanceTimersByTimeAsync(minutes(45)); // 08:00 due: run 2 starts
    expect(pending).toHaveLength(2);
    pending[1]?.reject(new Error('spawn rcm ENOENT')); // run 2 fails outright
    await vi.advanceTimersByTimeAsync(minutes(60)); // 09:00 due: run 3 starts all the same
    expect(pending).toHaveLength(3);
    pending[2]?.resolve(4); // dbt failed: an exit code, logged as such
    await vi.advanceTimersByTimeAsync(minutes(1));

    const seen = events
      .slice(1)
      .map((e) => [e.event, 'due' in e ? e.due.slice(11, 16) : '', e.at.slice(11, 16)]);
    expect(seen).toEqual([
      ['run_started', '06:00', '06:00'],
      ['run_skipped', '07:00', '07:00'],
      ['run_finished', '06:00', '07:15'],
      ['run_started', '08:00', '08:00'],
      ['run_failed', '08:00', '08:00'],
      ['run_started', '09:00', '09:00'],
      ['run_finished', '09:00', '09:00'],
    ]);
    expect(events.find((e) => e.event === 'run_skipped')).toMatchObject({
      reason: 'the run started 2026-03-02T06:00:00.000Z is still going',
    });
    expect(
      events.filter((e) => e.event === 'run_finished').map((e) => 'exit_code' in e && e.exit_code),
    ).toEqual([0, 4]);
    expect(events.find((e) => e.event === 'run_finished')).toMatchObject({ seconds: 75 * 60 });
    await schedule.stop();
  });

  it('keeps the practice clock across daylight saving time', async () => {
    // 06:30 on weekdays in Chicago: Friday 6 March 2026 is CST (UTC-6); DST starts Sunday 8 March, so Monday's
    // 06:30 is CDT (UTC-5).
    vi.useFakeTimers({ now: new Date('2026-03-06T12:00:00Z') });
    const events: ScheduleEvent[] = [];
    const schedule = startSchedule({
      cron: '30 6 * * 1-5',
      timezone: 'America/Chicago',
      job: async () => 0,
      log: (e) => events.push(e),
    });
    await vi.advanceTimersByTimeAsync(4 * 24 * 60 * minutes(1)); // to Tuesday 12:00 UTC
    expect(events.filter((e) => e.event === 'run_started').map((e) => 'due' in e && e.due)).toEqual([
      '2026-03-06T12:30:00.000Z', // Friday, CST
      '2026-03-09T11:30:00.000Z', // Monday, CDT (no weekend runs)
      '2026-03-10T11:30:00.000Z', // Tuesday, CDT
    ]);
    await schedule.stop();
  });

  it('stops taking due times at once and waits for the run in progress', async () => {
    vi.useFakeTimers({ now: new Date('2026-03-02T05:59:00Z') });
    const events: ScheduleEvent[] = [];
    const { job, pending } = controllableJob();
    const schedule = startSchedule({ cron: '0 * * * *', timezone: 'UTC', job, log: (e) => events.push(e) });
    await vi.advanceTimersByTimeAsync(minutes(1));
    let stopped = false;
    const stopping = schedule.stop().then(() => {
      stopped = true;
    });
    await vi.advanceTimersByTimeAsync(minutes(120)); // two more due times pass: neither starts
    expect(stopped).toBe(false);
    expect(pending).toHaveLength(1);
    pending[0]?.resolve(0);
    await stopping;
    expect(events.map((e) => e.event)).toEqual([
      'scheduled',
      'run_started',
      'stopping',
      'run_finished',
      'stopped',
    ]);
  });
});
