/** The patient's side of a claim: statements paid or written off, credits refunded, the day's takings deposited. */

import { type Cents, minCents } from '../../money.ts';
import { addBusinessDays, ccyymmdd, type Day } from '../dates.ts';
import type { Rng } from '../prng.ts';
import { scheduleOn } from './calendar.ts';
import {
  APPROVERS,
  WRITE_OFF_APPROVAL_THRESHOLD,
  writeAdjustment,
  writeDeposit,
  writePayment,
} from './posting-rows.ts';
import type { SimContext } from './state.ts';
import type { Claim } from './types.ts';

const STATEMENT_METHODS = ['CARD', 'CHECK', 'CASH'] as const;
const STATEMENT_METHOD_W = [60, 28, 12];

/**
 * Bill the patient what they owe after a posting: most pay a statement within weeks, the rest is written off
 * after 120 days (small balances always, larger ones half the time). `dry`: the balance went to a secondary
 * instead; make the same draws and post nothing, so every later claim draws what it drew before secondaries
 * existed.
 */
export function billPatient(
  ctx: SimContext,
  claim: Claim,
  postedDay: Day,
  owed: Cents,
  g: Rng = ctx.rng,
  dry = false,
): void {
  if (owed <= 0n) return;
  const state = ctx.state;
  const pays = g.chance(0.8);
  if (pays) {
    scheduleOn(state, postedDay + g.int(10, 60), () => {
      const amount = dry ? owed : minCents(owed, claim.balance);
      if (amount <= 0n) return;
      const method = g.weighted(STATEMENT_METHODS, STATEMENT_METHOD_W);
      const reference = method === 'CHECK' ? g.digits(4) : `R${g.digits(7)}`;
      if (dry) {
        state.paymentSeq++;
        return;
      }
      writePayment(ctx, {
        claim: claim.id,
        patient: claim.patient.id,
        payer: '',
        source: 'patient',
        method,
        reference,
        paymentDay: state.today,
        postedDay: state.today,
        amount,
        tos: false,
        secondary: g === ctx.secondaryRng,
      });
      claim.balance -= amount;
      claim.patientPaid += amount;
    });
  } else {
    scheduleOn(state, postedDay + 120, () => {
      const amount = dry ? owed : minCents(owed, claim.balance);
      if (amount <= 0n) return;
      if (amount < 1_000n || g.chance(0.5)) {
        if (dry) {
          state.adjustmentSeq++;
          if (amount > WRITE_OFF_APPROVAL_THRESHOLD) g.pick(APPROVERS);
          return;
        }
        const type = amount < 1_000n ? 'small_balance' : 'bad_debt';
        writeAdjustment(ctx, {
          claim: claim.id,
          line: null,
          payer: '',
          type,
          group: '',
          reason: type === 'small_balance' ? 'SBWO' : 'BDWO',
          amount,
          day: state.today,
          reference: '',
          approve: true,
          rng: g,
        });
        claim.balance -= amount;
      }
    });
  }
}

/** A patient credit (e.g. a copay collected at a preventive visit) is refunded by check a few weeks later. */
export function refundCredit(ctx: SimContext, claim: Claim, postedDay: Day, g: Rng = ctx.rng): void {
  if (claim.balance >= 0n || claim.patientPaid <= 0n || claim.refundPending) return;
  claim.refundPending = true;
  scheduleOn(ctx.state, postedDay + g.int(14, 45), () => {
    claim.refundPending = false;
    const amount = minCents(-claim.balance, claim.patientPaid);
    if (amount <= 0n) return;
    writePayment(ctx, {
      claim: claim.id,
      patient: claim.patient.id,
      payer: '',
      source: 'patient',
      method: 'REFUND',
      reference: `RF${g.digits(6)}`,
      paymentDay: ctx.state.today,
      postedDay: ctx.state.today,
      amount: -amount,
      tos: false,
      secondary: g === ctx.secondaryRng,
    });
    claim.balance += amount;
    claim.patientPaid -= amount;
  });
}

/** The day's patient payments reach the bank the next business day: card settlements apart from cash and checks. */
export function depositPatientTakings(ctx: SimContext, day: Day): void {
  const taken = ctx.state.patientDeposit;
  if (taken.card <= 0n && taken.other <= 0n) return;
  const card = taken.card;
  const other = taken.other;
  const next = addBusinessDays(day + 1, 0);
  const ref = `${ctx.state.practiceId}-${ccyymmdd(day)}`;
  scheduleOn(ctx.state, next, () => {
    writeDeposit(ctx, ctx.state.today, 'MERCHANT SVCS SETTLEMENT', card, `${ref}-CARD`, 'CARD_SETTLEMENT');
    writeDeposit(ctx, ctx.state.today, 'BRANCH DEPOSIT', other, `${ref}-CASH`, 'CASH_CHECK_DEPOSIT');
  });
  taken.card = 0n;
  taken.other = 0n;
}
