/** When things change over a practice's run: the billing vendor, the contract rates, and payers' lag around them. */

import { addMonths, type Day, dayOf, firstOfMonth, yearOf } from '../dates.ts';
import type { PracticePayer } from '../practice.ts';
import type { Rng } from '../prng.ts';
import type { SimContext, SimOptions } from './state.ts';

/** The billing vendor changes on the first of a month a little before the middle of the run. */
export function vendorChangeDay(o: SimOptions): Day {
  return firstOfMonth(addMonths(o.startDay, Math.floor(o.months * 0.45)));
}

/** How much worse the billing office works on a day: fully for two months after the change, then recovering over four. */
export function vendorFactorFrom(vendorDay: Day): (d: Day) => number {
  return (d: Day): number => {
    if (d < vendorDay) return 0;
    if (d < vendorDay + 60) return 1;
    if (d < vendorDay + 180) return 1 - (d - vendorDay - 60) / 120;
    return 0;
  };
}

/** New contract rates start on a 1 January past 40% of the run, or in the middle of a run too short for one. */
export function contractChangeDay(o: SimOptions): Day {
  const span = o.endDay - o.startDay;
  let contractDay = dayOf(`${yearOf(o.startDay + Math.floor(span * 0.4))}-01-01`);
  if (contractDay < o.startDay + Math.floor(span * 0.4))
    contractDay = dayOf(`${yearOf(contractDay) + 1}-01-01`);
  if (contractDay > o.endDay - 30) contractDay = firstOfMonth(o.startDay + Math.floor(span / 2));
  return contractDay;
}

/** Days from a payer's receipt of a claim to its adjudication. */
export function lagDays(ctx: SimContext, payer: PracticePayer, d: Day, g: Rng = ctx.rng): number {
  const a = payer.arch;
  return (
    Math.max(a.lagMin, Math.round(g.lognormal(a.lagMedian, a.lagSigma))) +
    Math.round(ctx.vendorFactor(d) * g.int(0, 6))
  );
}
