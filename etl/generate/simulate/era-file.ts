/** A payment run's 835 as written: its balance forward, numbering, file, month totals, posting and bank deposit. */

import { join } from 'node:path';
import { type Cents, centsOf, sumCents } from '../../money.ts';
import { addBusinessDays, ccyymmdd, type Day, isoOf } from '../dates.ts';
import type { PracticePayer } from '../practice.ts';
import type { Rng } from '../prng.ts';
import { type PlbItem, type RemitClaim, type Remittance, remittanceTotal, write835 } from '../x12.ts';
import { monthTotals, scheduleOn } from './calendar.ts';
import { postEra } from './era-posting.ts';
import { writeDeposit } from './posting-rows.ts';
import { sendToSecondary } from './secondary.ts';
import type { SimContext } from './state.ts';
import type { RunDecisions } from './types.ts';
import { hhmmSeconds, separatorsFor } from './x12-output.ts';

export function writeEra(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  run: RunDecisions,
  g: Rng,
  secondaryRun: boolean,
): void {
  const { claims, plb, actions } = run;
  const total = balanceForward(ctx, day, payer, claims, plb);
  const remit = remittanceOf(ctx, day, payer, claims, plb, g, secondaryRun);
  const fileName = `era/${payer.id}_${ccyymmdd(day)}_${remit.trace}.835`;
  const bytes = ctx.files.write(join(ctx.dir, fileName), write835(remit));
  ctx.log.add(
    join(ctx.dir, fileName),
    'era_835',
    bytes,
    1,
    remit.productionDay * 86_400 + hhmmSeconds(remit.hhmm),
  );
  for (const rv of ctx.state.reversals) if (rv.era_file === '') rv.era_file = fileName;
  countEra(ctx, day, run, total);

  // Posting in the PM (unless this is one of the ERAs the billing office never posted).
  if (!secondaryRun && plantNotPosted(ctx, day, payer, claims, total, fileName, remit.trace)) {
    // never posted: Medicare's crossover reaches the Medigap plan all the same
    for (const a of actions) if (a.forward?.crossover) sendToSecondary(ctx, a.claim, a.forward, null);
  } else {
    const lag = g.int(1, 4) + Math.round(ctx.vendorFactor(day) * g.int(2, 8));
    postEra(ctx, actions, remit, fileName, addBusinessDays(day, lag));
  }
  if (total > 0n) depositEra(ctx, day, payer, total, fileName, remit.trace, g, secondaryRun);
}

/**
 * BPR02 of the run, after the PLB forward balances: one carried from the payer's previous run is recouped here,
 * and a run that would pay less than nothing pays nothing and carries the rest to the next.
 */
function balanceForward(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  claims: RemitClaim[],
  plb: PlbItem[],
): Cents {
  const fbCarry = ctx.state.fbCarry;
  const carry = fbCarry.get(payer.id);
  if (
    carry &&
    carry.amount !== 0n &&
    !plb.some((p) => p.reason === 'FB' && p.amount < 0n && p.reference === carry.reference)
  ) {
    plb.push({ reason: 'FB', reference: carry.reference, amount: carry.amount });
    fbCarry.delete(payer.id);
  }
  let total = remittanceTotal({ claims, plb });
  if (total < 0n) {
    const ref = `FWD${ccyymmdd(day)}`;
    plb.push({ reason: 'FB', reference: ref, amount: total });
    fbCarry.set(payer.id, { amount: (fbCarry.get(payer.id)?.amount ?? 0n) - total, reference: ref });
    total = 0n;
  }
  return total;
}

/** The 835 with its control and trace numbers; a secondary's are numbered apart from the primaries' runs. */
function remittanceOf(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  claims: RemitClaim[],
  plb: PlbItem[],
  g: Rng,
  secondaryRun: boolean,
): Remittance {
  const { practice, state } = ctx;
  const practiceIndex = ctx.options.practiceIndex;
  const pIdx = practice.payers.indexOf(payer);
  const sec = state.secondarySeq.get(payer.id) ?? { isa: 0, check: 0 };
  if (secondaryRun) {
    state.secondarySeq.set(payer.id, sec);
    sec.isa++;
    sec.check++;
  } else state.runSeq++;
  const runNo = secondaryRun ? `9${String(sec.isa).padStart(5, '0')}` : String(state.runSeq).padStart(6, '0');
  const trace =
    payer.arch.method === 'ACH'
      ? `${String(practiceIndex + 1).padStart(3, '0')}${pIdx}${runNo}${g.digits(4)}`
      : secondaryRun
        ? String(90_000_000 + pIdx * 100_000 + sec.check)
        : String(++payer.checkSeq).padStart(8, '0');
  const gsControl = secondaryRun ? 50_000 + sec.isa : ++payer.isaSeq;
  const isaControl = ((practiceIndex + 1) % 900) * 1_000_000 + pIdx * 100_000 + gsControl;
  const location = practice.locations[0] as { street: string; city: string; state: string; zip: string };
  return {
    isaControl,
    gsControl,
    payer: {
      name: payer.arch.name,
      ediId: payer.ediId,
      tin: payer.tin,
      routing: payer.routing,
      account: payer.account,
      street: payer.address.street,
      city: payer.address.city,
      state: payer.address.state,
      zip: payer.address.zip,
    },
    payee: {
      name: practice.name,
      npi: practice.npi,
      tin: practice.tin,
      routing: practice.routing,
      account: practice.account,
      street: location.street,
      city: location.city,
      state: location.state,
      zip: location.zip,
    },
    receiverId: practice.submitterId,
    method: payer.arch.method,
    trace,
    paymentDay: day,
    productionDay: day - 1,
    hhmm: `0${g.int(1, 5)}${String(g.int(0, 59)).padStart(2, '0')}`,
    claims,
    plb,
    amountStyle: payer.arch.x12Style,
    separators: separatorsFor(payer),
  };
}

/** The month's ERA totals the manifest reports. */
function countEra(ctx: SimContext, day: Day, run: RunDecisions, total: Cents): void {
  const { claims, plb } = run;
  const t = monthTotals(ctx.state, day).era;
  t.files++;
  t.claims += claims.length;
  t.paid_cents += sumCents(claims.map((c) => c.paid));
  t.charges_cents += sumCents(claims.map((c) => c.charge));
  t.plb_cents += sumCents(plb.map((p) => p.amount));
  t.bpr_cents += total;
  for (const c of claims) {
    for (const x of c.cas) t.cas_cents[x.group] += x.amount;
    for (const l of c.lines) for (const x of l.cas) t.cas_cents[x.group] += x.amount;
  }
  t.claims_crossover += claims.filter((c) => c.status === '19').length;
  t.claims_secondary += claims.filter((c) => c.status === '2').length;
  t.paid_secondary_cents += sumCents(claims.map((c) => (c.status === '2' ? c.paid : 0n)));
  for (const f of run.firstDenials) {
    t.claims_denied++;
    if (f.full) t.claims_denied_full++;
  }
}

/** Whether this is one of the paid ERAs the billing office never posts (planted twice per practice). */
function plantNotPosted(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  claims: RemitClaim[],
  total: Cents,
  fileName: string,
  trace: string,
): boolean {
  const { plan, anomalies } = ctx.state;
  for (let k = 0; k < plan.notPosted.length; k++) {
    if (!plan.notPostedDone[k] && day >= (plan.notPosted[k] as Day) && total > 0n && claims.length >= 3) {
      plan.notPostedDone[k] = true;
      anomalies.push({
        type: 'era_not_posted',
        practice_id: ctx.state.practiceId,
        description: 'An 835 was received and paid but never posted in the PM.',
        era_file: fileName,
        payer_id: payer.id,
        trace_number: trace,
        payment_date: isoOf(day),
        bpr_cents: total,
        claims: claims.length,
        claims_paid_cents: sumCents(claims.map((c) => c.paid)),
      });
      return true;
    }
  }
  return false;
}

/** The money reaching the bank: an EFT on the payment day, a check a few business days later. */
function depositEra(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  total: Cents,
  fileName: string,
  trace: string,
  g: Rng,
  secondaryRun: boolean,
): void {
  const state = ctx.state;
  let depositDay = day;
  let description = `${payer.arch.name} HCCLAIMPMT`;
  let type = 'ACH_CREDIT';
  if (payer.arch.method === 'CHK') {
    depositDay = addBusinessDays(day, g.int(3, 7));
    description = `CHECK DEPOSIT ${payer.arch.name}`;
    type = 'CHECK_DEPOSIT';
  }
  let amount = total;
  if (
    !secondaryRun &&
    !state.plan.depositMismatchDone &&
    day >= state.plan.depositMismatchDay &&
    payer.arch.method === 'ACH' &&
    total > 20_000n
  ) {
    state.plan.depositMismatchDone = true;
    const diff = centsOf(ctx.rng.int(1_200, 8_000));
    amount = total - diff;
    state.anomalies.push({
      type: 'deposit_mismatch',
      practice_id: state.practiceId,
      description: 'A bank deposit does not match the BPR02 of its remittance.',
      era_file: fileName,
      payer_id: payer.id,
      trace_number: trace,
      bpr_cents: total,
      deposit_cents: amount,
      difference_cents: amount - total,
      deposit_date: isoOf(depositDay),
    });
  }
  const fixedAmount = amount;
  scheduleOn(state, depositDay, () => writeDeposit(ctx, state.today, description, fixedAmount, trace, type));
}
