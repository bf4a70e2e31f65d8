/**
 * The day-by-day simulation of one practice. Encounters are generated in date order; every later step
 * (submission, acknowledgement, adjudication, posting, patient payment, deposit, write-off) is an event
 * scheduled on a future day, so only claims still in flight are held in memory and every output file is
 * written in date order as the simulated calendar advances. The steps live in simulate/, each handed the
 * practice's SimContext (simulate/state.ts); this file sets the context up and runs the calendar.
 */

import { join } from 'node:path';
import { PeriodCsv } from './csv.ts';
import { addMonths, type Day, dayOf } from './dates.ts';
import { BANK_DEPOSITS, CLEARINGHOUSE_REJECTIONS } from './dialects.ts';
import { pmExportWriters } from './pm-exports.ts';
import { addSecondaryPayers, buildPractice } from './practice.ts';
import type { Rng } from './prng.ts';
import { runEventsOn } from './simulate/calendar.ts';
import { flushBatch } from './simulate/clearinghouse.ts';
import { encounters } from './simulate/encounters.ts';
import { depositPatientTakings } from './simulate/patient-billing.ts';
import { flushRun } from './simulate/remittance-run.ts';
import { newSimulationState, type SimContext, type SimOptions } from './simulate/state.ts';
import { writePatients, writeStatic } from './simulate/static-files.ts';
import { reportRunPatterns, type SimResult, simResult } from './simulate/summary.ts';
import { contractChangeDay, vendorChangeDay, vendorFactorFrom } from './simulate/timeline.ts';
import type { FileLog, FileQueue } from './sink.ts';

export type { SimOptions } from './simulate/state.ts';
export type { SimResult } from './simulate/summary.ts';

export async function simulatePractice(
  root: Rng,
  o: SimOptions,
  log: FileLog,
  files: FileQueue,
): Promise<SimResult> {
  const rng = root.fork('practice', o.practiceIndex);
  const practice = buildPractice(rng.fork('setup'), {
    index: o.practiceIndex,
    providers: o.providers,
    startDay: o.startDay,
    endDay: o.endDay,
    visitsPerProviderDay: o.visitsPerProviderDay,
  });
  const dir = join(o.outDir, practice.id);
  const r = rng.fork('run');
  // Everything about secondary payers draws from its own stream, so the primary path of every claim is unchanged.
  const r2 = rng.fork('secondary');
  addSecondaryPayers(r2, practice);
  const vendorDay = vendorChangeDay(o);

  // A monthly export is run on the first day after its month (or on the as-of day, whichever is first).
  const exportDay = (period: string): Day => Math.min(o.asOfDay, addMonths(dayOf(`${period}-01`), 1));
  const pm = pmExportWriters(join(dir, 'pm'), o.dialect, log, exportDay);
  const ctx: SimContext = {
    options: o,
    practice,
    state: newSimulationState(practice.id, o),
    rng: r,
    secondaryRng: r2,
    vendorDay,
    vendorFactor: vendorFactorFrom(vendorDay),
    contractDay: contractChangeDay(o),
    dir,
    log,
    files,
    appointments: pm.appointments,
    charges: pm.charges,
    payments: pm.payments,
    adjustments: pm.adjustments,
    rejections: new PeriodCsv(
      join(dir, 'clearinghouse'),
      'rejections',
      'rejections',
      CLEARINGHOUSE_REJECTIONS.columns,
      CLEARINGHOUSE_REJECTIONS,
      log,
      'clearinghouse_rejections',
      exportDay,
    ),
    deposits: new PeriodCsv(
      join(dir, 'bank'),
      'deposits',
      'deposits',
      BANK_DEPOSITS.columns,
      BANK_DEPOSITS,
      log,
      'bank_deposits',
      exportDay,
    ),
  };
  const state = ctx.state;
  writeStatic(practice, dir, o.dialect, log);

  // The calendar: each day's visits, the events due, the clearinghouse batch, then the payers' runs.
  for (state.today = o.startDay; state.today <= o.asOfDay; state.today++) {
    const d = state.today;
    if (d <= o.endDay) encounters(ctx, d);
    runEventsOn(state, d);
    flushBatch(ctx, d);
    const byPayer = state.runs.get(d);
    if (byPayer) {
      for (const payer of practice.payers) {
        const items = byPayer.get(payer.id);
        if (items) flushRun(ctx, d, payer, items);
      }
      state.runs.delete(d);
    }
    const secondaryByPayer = state.secondaryRuns.get(d);
    if (secondaryByPayer) {
      for (const payer of practice.payers) {
        const items = secondaryByPayer.get(payer.id);
        if (items) flushRun(ctx, d, payer, items, r2, true);
      }
      state.secondaryRuns.delete(d);
    }
    // Same-day consequences of the flushes (EFT deposits land on the payment date).
    runEventsOn(state, d);
    if (files.pending > files.limit) await files.drain(files.limit / 2);
    depositPatientTakings(ctx, d);
  }
  await files.drain();
  for (const out of [
    ctx.appointments,
    ctx.charges,
    ctx.payments,
    ctx.adjustments,
    ctx.rejections,
    ctx.deposits,
  ])
    out.close();
  writePatients(practice, dir, o.dialect, log);
  reportRunPatterns(ctx);
  return simResult(ctx);
}
