/** How a claim reaches the patient's secondary payer after the primary has adjudicated it. */

import { addBusinessDays, type Day } from '../dates.ts';
import type { SecondaryCoverage } from '../practice.ts';
import type { RemitClaim } from '../x12.ts';
import { addToSecondaryRunOn } from './calendar.ts';
import type { SimContext } from './state.ts';
import { lagDays } from './timeline.ts';
import type { Claim, PostingAction } from './types.ts';

/**
 * After the primary's adjudication: whether the patient's cost share goes to the secondary. Medicare crosses the
 * claim over to the Medigap plan itself (CLP02 = 19, processed as primary and forwarded); a commercial primary
 * reports CLP02 = 1 and the practice bills the secondary once it has posted the primary's remittance. Claims the
 * simulation reverses or recoups later keep their patient billing.
 */
export function forwardToSecondary(
  claim: Claim,
  remit: RemitClaim,
  day: Day,
): PostingAction['forward'] | undefined {
  const sec = claim.secondary;
  if (!sec || claim.forwarded || claim.keepLast || claim.overpay > 0n || remit.status === '4')
    return undefined;
  const costShare = remit.lines.some((l) =>
    l.cas.some((c) => c.group === 'PR' && ['1', '2', '3'].includes(c.reason) && c.amount > 0n),
  );
  if (!costShare) return undefined;
  claim.forwarded = true;
  const crossover = claim.payer.arch.type === 'medicare';
  if (crossover) {
    remit.status = '19';
    remit.crossoverCarrier = { name: sec.payer.arch.name, ediId: sec.payer.ediId };
  }
  return { crossover, primary: remit, day };
}

/**
 * The secondary's adjudication, in its own payment run: a crossover is with the Medigap plan from Medicare's
 * payment day; a commercial secondary receives the claim the practice sends a few days after posting the
 * primary's remittance. Either way it pays after the primary's payment is posted (`postedDay`, null when never
 * posted), so the primary's posting finds the balance it would have found without a secondary.
 */
export function sendToSecondary(
  ctx: SimContext,
  claim: Claim,
  forward: NonNullable<PostingAction['forward']>,
  postedDay: Day | null,
): void {
  const r2 = ctx.secondaryRng;
  const sec = claim.secondary as SecondaryCoverage;
  const received = forward.crossover ? forward.day : addBusinessDays(postedDay ?? forward.day, r2.int(1, 5));
  const run = Math.max(received + lagDays(ctx, sec.payer, received, r2), (postedDay ?? forward.day) + 1);
  addToSecondaryRunOn(ctx.state, sec.payer, run, {
    kind: 'secondary',
    claim,
    primary: forward.primary,
    receivedDay: received,
  });
}
