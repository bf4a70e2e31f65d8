/** What a payer decides in one payment run: the claims of its 835, their PLB adjustments, and what the PM will post. */

import { applyRate, minCents, sumCents } from '../../money.ts';
import { ccyymmdd, type Day, yearOf } from '../dates.ts';
import type { PracticePayer } from '../practice.ts';
import type { Rng } from '../prng.ts';
import type { CasItem, RemitClaim } from '../x12.ts';
import { adjudicateForSecondary, adjudicatePrimary } from './adjudication.ts';
import { writeEra } from './era-file.ts';
import { forwardToSecondary } from './secondary.ts';
import type { SimContext } from './state.ts';
import type { Claim, PostedRemit, PostingAction, RunDecisions, RunItem } from './types.ts';
import { negate } from './x12-output.ts';

/**
 * Flush a payer's payment run as one 835. A secondary's runs (`secondaryRun`) draw from `g` = the secondary
 * stream, number their files apart and carry none of the planted anomalies, so the primary payers' files stay
 * as they were.
 */
export function flushRun(
  ctx: SimContext,
  day: Day,
  payer: PracticePayer,
  items: RunItem[],
  g: Rng = ctx.rng,
  secondaryRun = false,
): void {
  const run = decideRun(ctx, day, payer, items);
  if (run.claims.length === 0 && run.plb.length === 0) return;
  writeEra(ctx, day, payer, run, g, secondaryRun);
}

function decideRun(ctx: SimContext, day: Day, payer: PracticePayer, items: RunItem[]): RunDecisions {
  const run: RunDecisions = { claims: [], plb: [], actions: [], firstDenials: [] };
  for (const it of items) {
    const claim = it.claim;
    if (it.kind === 'adjudicate') {
      adjudicateItem(ctx, run, day, it);
    } else if (it.kind === 'reverse_correct' || it.kind === 'reverse_only') {
      reverseItem(ctx, run, day, payer, claim, it.kind);
    } else if (it.kind === 'secondary') {
      const remit = adjudicateForSecondary(ctx.secondaryRng, claim, it.primary, day, it.receivedDay);
      run.claims.push(remit);
      run.actions.push({
        claim,
        payer,
        secondary: true,
        payment: remit.paid,
        adjustments: [],
        patientBill: remit.patientResp,
        lineDenialWriteOff: 0n,
      });
    } else if (it.kind === 'recover_overpayment') {
      const amount = claim.overpay;
      run.plb.push({ reason: 'WO', reference: `${claim.id}${ccyymmdd(claim.dos)}`, amount });
      run.actions.push({
        claim,
        payment: -amount,
        adjustments: [{ line: 1, type: 'contractual', group: 'CO', reason: '45', amount }],
        patientBill: 0n,
        lineDenialWriteOff: 0n,
      });
    }
  }
  return run;
}

/** A primary's adjudication of a claim, with its interest (PLB L6) and whether the balance goes to a secondary. */
function adjudicateItem(
  ctx: SimContext,
  run: RunDecisions,
  day: Day,
  it: Extract<RunItem, { kind: 'adjudicate' }>,
): void {
  const claim = it.claim;
  const { remit, posted, interest } = adjudicatePrimary(
    ctx,
    claim,
    day,
    it.receivedDay,
    it.frequency,
    it.allowDenial,
  );
  run.claims.push(remit);
  if (!claim.firstRemitDone) {
    claim.firstRemitDone = true;
    if (remit.remark !== null || remit.lines.some((l) => l.remark !== null))
      run.firstDenials.push({ full: remit.status === '4' });
  }
  if (interest > 0n) run.plb.push({ reason: 'L6', reference: claim.id, amount: -interest });
  // Keep the remittance only when a later reversal needs it (keeps memory and GC work down).
  if (claim.keepLast && remit.status !== '4') claim.last = posted;
  const forward = forwardToSecondary(claim, remit, day);
  run.actions.push({
    forward,
    claim,
    payment: remit.paid,
    adjustments: contractualAdjustments(posted.contractual, 1),
    patientBill: posted.patientResp,
    lineDenialWriteOff: sumCents(posted.lineDenials.map((x) => x.amount)),
  });
}

/** The PM's contractual adjustments for a remittance's CO amounts; `sign` -1 undoes them. */
function contractualAdjustments(
  contractual: PostedRemit['contractual'],
  sign: 1 | -1,
): PostingAction['adjustments'] {
  return contractual.map((c) => ({
    line: c.line,
    type: 'contractual',
    group: c.group,
    reason: c.reason,
    amount: sign === 1 ? c.amount : -c.amount,
  }));
}

/**
 * The reversal of a paid claim (CLP02 = 22). `reverse_only`: a retroactive termination, recouped as a forward
 * balance (PLB FB) carried to the payer's next run; `reverse_correct`: the claim is paid again at corrected rates.
 */
function reverseItem(
  ctx: SimContext,
  run: RunDecisions,
  day: Day,
  payer: PracticePayer,
  claim: Claim,
  kind: 'reverse_correct' | 'reverse_only',
): void {
  const state = ctx.state;
  const prev = claim.last;
  if (!prev || claim.reversed) return;
  const rev = negate(prev.remit);
  run.claims.push(rev);
  run.actions.push({
    claim,
    payment: rev.paid,
    adjustments: contractualAdjustments(prev.contractual, -1),
    patientBill: 0n,
    lineDenialWriteOff: 0n,
  });
  state.reversalCount++;
  if (state.reversals.length < 50) state.reversals.push({ claim_id: claim.id, era_file: '', kind });
  if (kind === 'reverse_only') {
    claim.reversed = true;
    run.plb.push({ reason: 'FB', reference: claim.id, amount: rev.paid });
    const carry = state.fbCarry.get(payer.id);
    state.fbCarry.set(payer.id, { amount: (carry?.amount ?? 0n) - rev.paid, reference: claim.id });
    return;
  }
  const corrected = correctedRemit(ctx, day, prev);
  run.claims.push(corrected);
  const contractualNew: PostedRemit['contractual'] = [];
  corrected.lines.forEach((l, i) => {
    for (const c of l.cas)
      if (c.group === 'CO')
        contractualNew.push({ line: i + 1, group: 'CO', reason: c.reason, amount: c.amount });
  });
  claim.last = {
    remit: corrected,
    contractual: contractualNew,
    lineDenials: [],
    patientResp: prev.patientResp,
  };
  run.actions.push({
    claim,
    payment: corrected.paid,
    adjustments: contractualAdjustments(contractualNew, 1),
    patientBill: 0n,
    lineDenialWriteOff: 0n,
  });
}

/** Retroactive rate correction: same patient share, allowed moves by a few percent. */
function correctedRemit(ctx: SimContext, day: Day, prev: PostedRemit): RemitClaim {
  const r = ctx.rng;
  const delta = r.pick([-500, -300, -200, 200, 300, 400]);
  const lines = prev.remit.lines.map((l) => {
    if (l.allowed === null || l.allowed <= 0n) return { ...l };
    const pr = sumCents(l.cas.filter((c) => c.group === 'PR').map((c) => c.amount));
    const hasSeq = l.cas.some((c) => c.reason === '253');
    let al = minCents(l.charge, applyRate(l.allowed, 10_000 + delta));
    if (al < pr) al = pr;
    const seq = hasSeq ? applyRate(al - pr, 200) : 0n;
    const cas: CasItem[] = [];
    if (l.charge - al > 0n) cas.push({ group: 'CO', reason: '45', amount: l.charge - al });
    for (const c of l.cas) if (c.group === 'PR') cas.push({ ...c });
    if (seq > 0n) cas.push({ group: 'CO', reason: '253', amount: seq });
    return { ...l, allowed: al, paid: al - pr - seq, cas };
  });
  return {
    ...prev.remit,
    status: '1',
    frequency: '7',
    paid: sumCents(lines.map((l) => l.paid)),
    payerControl: `${yearOf(day) % 100}${String(day % 1000).padStart(3, '0')}${r.digits(9)}`,
    lines,
  };
}
