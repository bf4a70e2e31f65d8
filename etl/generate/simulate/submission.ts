/** A claim's way to its payer: submissions until accepted, the payment runs it joins, and what is planted on it. */

import { addBusinessDays, type Day, isoOf, onOrAfterBusinessDay } from '../dates.ts';
import { hashUnit } from '../prng.ts';
import { CA_REJECTIONS } from '../reference.ts';
import { addToRunOn, monthTotals, scheduleOn } from './calendar.ts';
import { writeAdjustment } from './posting-rows.ts';
import type { SimContext } from './state.ts';
import { lagDays } from './timeline.ts';
import type { Attempt, Claim } from './types.ts';

/**
 * When a claim was first and last submitted (on or before the as-of day), as the charges export shows it: all null
 * for a claim created on the last days whose first submission falls after the as-of day (not submitted yet).
 */
export interface SubmissionDates {
  firstSubmit: Day | null;
  lastSubmit: Day | null;
  resubmissions: number | null;
}

/**
 * Plan everything about a claim created on a day: its submissions, its adjudications, and what follows a
 * denial (a corrected claim, or a write-off); a few claims carry a planted overpayment or reversal.
 */
export function planClaim(ctx: SimContext, claim: Claim, created: Day): SubmissionDates {
  const { state, rng: r } = ctx;
  const first = submissionPath(ctx, claim, created + (r.chance(0.7) ? 0 : 1), '1', true);
  const all = [...first.attempts];
  claim.acceptedDays.push(first.accepted);
  const receivedDay = first.accepted;
  const run1 = addToRunOn(state, claim.payer, first.accepted + lagDays(ctx, claim.payer, first.accepted), {
    kind: 'adjudicate',
    claim,
    receivedDay,
    frequency: '1',
    allowDenial: true,
  });
  const posted1 = addBusinessDays(run1, 4);
  if (claim.denial) {
    if (claim.denial.recover) {
      const second = submissionPath(ctx, claim, posted1 + r.int(7, 35), '7', false);
      all.push(...second.attempts);
      claim.acceptedDays.push(second.accepted);
      addToRunOn(state, claim.payer, second.accepted + lagDays(ctx, claim.payer, second.accepted), {
        kind: 'adjudicate',
        claim,
        receivedDay: second.accepted,
        frequency: '7',
        allowDenial: false,
      });
    } else if (claim.denial.line === -1) {
      scheduleOn(state, posted1 + r.int(20, 60), () => {
        const amount = claim.balance;
        if (amount <= 0n) return;
        writeAdjustment(ctx, {
          claim: claim.id,
          line: null,
          payer: claim.payer.id,
          type: 'denial_writeoff',
          group: claim.denial?.code.group === 'PR' ? 'PR' : 'CO',
          reason: claim.denial?.code.carc ?? '',
          amount,
          day: state.today,
          reference: '',
          approve: true,
        });
        claim.balance -= amount;
      });
    }
  } else plantOnPaidClaim(ctx, claim, run1);
  const seen = all.filter((a) => a.day <= ctx.options.asOfDay);
  scheduleAttempts(ctx, claim, all);
  const firstSeen = seen[0];
  const lastSeen = seen[seen.length - 1];
  if (firstSeen === undefined || lastSeen === undefined)
    return { firstSubmit: null, lastSubmit: null, resubmissions: null };
  return { firstSubmit: firstSeen.day, lastSubmit: lastSeen.day, resubmissions: seen.length - 1 };
}

/** Planted on a paid claim: an overpayment recovered later through PLB WO; a reversal carried as a forward balance. */
function plantOnPaidClaim(ctx: SimContext, claim: Claim, run1: Day): void {
  const { state, rng: r } = ctx;
  if (
    !state.plan.overpayDone &&
    claim.dos >= state.plan.overpayDay &&
    claim.payer.id === 'ATL' &&
    (claim.lines[0]?.charge ?? 0n) >= 10_000n
  ) {
    state.plan.overpayDone = true;
    claim.overpay = 2_500n;
    const woRun = addToRunOn(state, claim.payer, run1 + r.int(35, 60), {
      kind: 'recover_overpayment',
      claim,
    });
    state.anomalies.push({
      type: 'overpayment_recovery',
      practice_id: state.practiceId,
      description:
        'A claim was overpaid (allowed above contract) and the payer recovered the overpayment later with PLB WO.',
      claim_id: claim.id,
      payer_id: claim.payer.id,
      overpaid_cents: claim.overpay,
      first_paid_run: isoOf(run1),
      recovery_run: isoOf(woRun),
    });
  } else if (
    !state.plan.reversalFbDone &&
    claim.dos >= state.plan.reversalFbDay &&
    claim.payer.id === 'MAD'
  ) {
    state.plan.reversalFbDone = true;
    claim.keepLast = true;
    const revRun = addToRunOn(state, claim.payer, run1 + r.int(30, 50), { kind: 'reverse_only', claim });
    state.anomalies.push({
      type: 'reversal_forward_balance',
      practice_id: state.practiceId,
      description:
        'A paid claim was reversed (CLP02 = 22, retroactive termination) and the payer carried the recoupment to its next 835 with PLB FB pairs.',
      claim_id: claim.id,
      payer_id: claim.payer.id,
      reversal_run: isoOf(revRun),
    });
  } else if (r.chance(0.004)) {
    claim.keepLast = true;
    addToRunOn(state, claim.payer, run1 + r.int(14, 60), { kind: 'reverse_correct', claim });
  }
}

/** Submissions from a day until the clearinghouse and the payer accept the claim (the 4th attempt always is). */
function submissionPath(
  ctx: SimContext,
  claim: Claim,
  start: Day,
  freq: string,
  first: boolean,
): { attempts: Attempt[]; accepted: Day } {
  const { rng: r, vendorFactor } = ctx;
  const p999 = (d: Day) => 0.012 * (1 + 2 * vendorFactor(d));
  const attempts: Attempt[] = [];
  let s = onOrAfterBusinessDay(start);
  for (let k = 0; ; k++) {
    const last = k >= 3;
    // A rejected transaction set rejects every claim of that payer in the day's batch: decide it by hash.
    const st = k < 40 && hashUnit(ctx.options.seed, ctx.state.practiceId, s, claim.payer.id, 'st') < p999(s);
    if (st) {
      attempts.push({ day: s, stRejected: true, ca: null, ackDay: s, freq, first: first && k === 0 });
      s = addBusinessDays(s, 1);
      continue;
    }
    const ack = addBusinessDays(s, 1);
    const pCa = (0.028 + (claim.eligChecked ? 0 : 0.04)) * (1 + 1.5 * vendorFactor(s));
    let ca: Attempt['ca'] = null;
    if (!last && r.chance(pCa)) {
      const w = CA_REJECTIONS.map((x) => (x.eligibility ? (claim.eligChecked ? 1 : 4) : 1.2));
      ca = CA_REJECTIONS[r.weightedIndex(w)] as Attempt['ca'];
    }
    attempts.push({ day: s, stRejected: false, ca, ackDay: ack, freq, first: first && k === 0 });
    if (!ca) return { attempts, accepted: ack };
    s = addBusinessDays(ack, r.int(1, 5) + Math.round(vendorFactor(s) * r.int(3, 10)));
  }
}

/** Each attempt joins the batch of its day, counted in that month's clearinghouse totals. */
function scheduleAttempts(ctx: SimContext, claim: Claim, attempts: Attempt[]): void {
  const state = ctx.state;
  for (const a of attempts) {
    scheduleOn(state, a.day, () => {
      const t = monthTotals(state, state.today).clearinghouse;
      t.submissions++;
      t.submitted_lines += claim.lines.length;
      t.submitted_charges_cents += claim.charge;
      if (a.first) t.claims_submitted++;
      let list = state.batch.get(claim.payer.id);
      if (!list) {
        list = [];
        state.batch.set(claim.payer.id, list);
      }
      list.push({ claim, attempt: a });
    });
  }
}
