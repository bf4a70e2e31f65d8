/** The simulated calendar: work scheduled on later days, payers' payment runs, and each month's totals. */

import { type Day, monthKey, weekdayOf } from '../dates.ts';
import { emptyMonth, type MonthTally } from '../manifest.ts';
import type { PracticePayer } from '../practice.ts';
import type { SimulationState } from './state.ts';
import type { RunItem } from './types.ts';

/** The totals of the month a day falls in, started on first use. */
export function monthTotals(state: SimulationState, day: Day): MonthTally {
  const k = monthKey(day);
  let t = state.totals.get(k);
  if (!t) {
    t = emptyMonth(state.practiceId, k);
    state.totals.set(k, t);
  }
  return t;
}

/** Run fn on a day (today at the earliest); nothing after the as-of day happens. */
export function scheduleOn(state: SimulationState, day: Day, fn: () => void): void {
  if (day > state.asOfDay) return;
  const d = day < state.today ? state.today : day;
  let list = state.events.get(d);
  if (!list) {
    list = [];
    state.events.set(d, list);
  }
  list.push(fn);
}

/** The payer's first payment-run day on or after a day. */
export function nextRunDay(payer: PracticePayer, from: Day): Day {
  let d = from;
  while (!payer.arch.runDays.includes(weekdayOf(d))) d++;
  return d;
}

/** Queue an item in the payer's next payment run; returns that run's day. */
export function addToRunOn(state: SimulationState, payer: PracticePayer, day: Day, item: RunItem): Day {
  const d = nextRunDay(payer, day);
  if (d > state.asOfDay) return d;
  let byPayer = state.runs.get(d);
  if (!byPayer) {
    byPayer = new Map();
    state.runs.set(d, byPayer);
  }
  let list = byPayer.get(payer.id);
  if (!list) {
    list = [];
    byPayer.set(payer.id, list);
  }
  list.push(item);
  return d;
}

/** Queue an item in a secondary's next payment run (its own 835s, apart from the primaries'). */
export function addToSecondaryRunOn(
  state: SimulationState,
  payer: PracticePayer,
  day: Day,
  item: RunItem,
): void {
  const d = nextRunDay(payer, day);
  if (d > state.asOfDay) return;
  let byPayer = state.secondaryRuns.get(d);
  if (!byPayer) {
    byPayer = new Map();
    state.secondaryRuns.set(d, byPayer);
  }
  const list = byPayer.get(payer.id);
  if (list) list.push(item);
  else byPayer.set(payer.id, [item]);
}

/** Run what is scheduled for a day, including what those events schedule for the same day. */
export function runEventsOn(state: SimulationState, day: Day): void {
  const list = state.events.get(day);
  if (!list) return;
  for (let i = 0; i < list.length; i++) (list[i] as () => void)();
  state.events.delete(day);
}
