/** The posting of an 835 in the PM, days after it arrives: payments, adjustments, and what follows for the patient. */

import { type Cents, formatCents, minCents } from '../../money.ts';
import { type Day, isoOf } from '../dates.ts';
import type { Remittance } from '../x12.ts';
import { scheduleOn } from './calendar.ts';
import { billPatient, refundCredit } from './patient-billing.ts';
import { writeAdjustment, writePayment } from './posting-rows.ts';
import { sendToSecondary } from './secondary.ts';
import type { SimContext } from './state.ts';
import type { PostingAction } from './types.ts';

/** Post a remittance's actions on a later day; the planted posting error is keyed on the first large one due. */
export function postEra(
  ctx: SimContext,
  actions: PostingAction[],
  remit: Remittance,
  fileName: string,
  postDay: Day,
): void {
  const state = ctx.state;
  scheduleOn(state, postDay, () => {
    for (const a of actions) {
      let amount = a.payment;
      const payer = a.payer ?? a.claim.payer;
      if (
        !a.secondary &&
        !state.plan.postingErrorDone &&
        state.today >= state.plan.postingErrorDay &&
        amount >= 5_000n &&
        a.adjustments.every((x) => x.amount >= 0n)
      ) {
        amount = keyPostingError(ctx, a, remit, fileName, amount);
      }
      if (amount !== 0n) {
        writePayment(ctx, {
          claim: a.claim.id,
          patient: a.claim.patient.id,
          payer: payer.id,
          source: 'payer',
          method: remit.method === 'ACH' ? 'EFT' : 'CHECK',
          reference: remit.trace,
          paymentDay: remit.paymentDay,
          postedDay: state.today,
          amount,
          tos: false,
          secondary: a.secondary,
        });
      }
      a.claim.balance -= amount;
      for (const adj of a.adjustments) {
        writeAdjustment(ctx, {
          claim: a.claim.id,
          line: adj.line,
          payer: payer.id,
          type: adj.type,
          group: adj.group,
          reason: adj.reason,
          amount: adj.amount,
          day: state.today,
          reference: remit.trace,
          approve: false,
        });
        a.claim.balance -= adj.amount;
      }
      if (a.lineDenialWriteOff > 0n) writeOffLineDenial(ctx, a);
      const owed = a.patientBill - a.claim.patientPaid;
      const g = a.secondary ? ctx.secondaryRng : ctx.rng;
      billPatient(ctx, a.claim, state.today, minCents(owed, a.claim.balance), g, a.forward !== undefined);
      refundCredit(ctx, a.claim, state.today, g);
      if (a.forward) sendToSecondary(ctx, a.claim, a.forward, state.today);
    }
  });
}

/** The planted posting error: transposed digits in the dollars, e.g. 118.40 posted as 181.40. Returns what is posted. */
function keyPostingError(
  ctx: SimContext,
  a: PostingAction,
  remit: Remittance,
  fileName: string,
  amount: Cents,
): Cents {
  const state = ctx.state;
  const s = formatCents(amount);
  const dollars = s.slice(0, -3);
  let wrong = amount + 1_000n;
  if (dollars.length >= 2) {
    const t = dollars.slice(0, -2) + (dollars.at(-1) as string) + (dollars.at(-2) as string);
    const w = BigInt(t) * 100n + (amount % 100n);
    if (w !== amount) wrong = w;
  }
  state.plan.postingErrorDone = true;
  state.anomalies.push({
    type: 'posting_error',
    practice_id: state.practiceId,
    description: 'A payer payment was keyed with transposed digits when the ERA was posted.',
    claim_id: a.claim.id,
    era_file: fileName,
    trace_number: remit.trace,
    posted_date: isoOf(state.today),
    correct_cents: amount,
    posted_cents: wrong,
    difference_cents: wrong - amount,
  });
  return wrong;
}

/** Lines the payer denied and the practice does not appeal are written off a few weeks after posting. */
function writeOffLineDenial(ctx: SimContext, a: PostingAction): void {
  const claim = a.claim;
  const amountWo = a.lineDenialWriteOff;
  scheduleOn(ctx.state, ctx.state.today + ctx.rng.int(15, 40), () => {
    const amt = minCents(amountWo, claim.balance);
    writeAdjustment(ctx, {
      claim: claim.id,
      line: null,
      payer: claim.payer.id,
      type: 'line_denial_writeoff',
      group: 'CO',
      reason: claim.denial ? claim.denial.code.carc : '',
      amount: amt,
      day: ctx.state.today,
      reference: '',
      approve: true,
    });
    claim.balance -= amt;
  });
}
