/**
 * Payers' decisions on one claim: a primary's allowed amounts, denials, patient responsibility and interest; a
 * secondary's share of what the primary left to the patient.
 */

import { applyRate, type Cents, minCents, scaleCents, sumCents } from '../../money.ts';
import { type Day, monthOf, yearOf } from '../dates.ts';
import { contractRate, type SecondaryCoverage } from '../practice.ts';
import type { Rng } from '../prng.ts';
import { DENIAL_CATEGORIES, type DenialCategory, SECONDARY_COVERAGE } from '../reference.ts';
import type { CasItem, RemitClaim, RemitLine } from '../x12.ts';
import type { SimContext } from './state.ts';
import type { Claim, Denial, PostedRemit } from './types.ts';

// One payer underpays a few codes after the contract date: the manifest reports what it planted.
export const UNDERPAY_PAYER = 'NHP';
export const UNDERPAY_CODES = ['99213', '99214', '99396'];
export const UNDERPAY_RATE_BP = 8_300;

/** What a primary's adjudication needs of the context. */
export type AdjudicationContext = Pick<SimContext, 'state' | 'rng' | 'contractDay'>;

export function adjudicatePrimary(
  ctx: AdjudicationContext,
  claim: Claim,
  runDay: Day,
  receivedDay: Day,
  frequency: string,
  allowDenial: boolean,
): { remit: RemitClaim; posted: PostedRemit; interest: Cents } {
  const payer = claim.payer;
  const arch = payer.arch;
  const denial = allowDenial ? claim.denial : null;
  const lines: RemitLine[] = [];
  const contractual: PostedRemit['contractual'] = [];
  const lineDenials: PostedRemit['lineDenials'] = [];
  let paidTotal = 0n;
  let prTotal = 0n;
  const year = yearOf(claim.dos);
  const pt = claim.patient;
  if (pt.deductibleYear !== year) {
    // What is left of the annual deductible at the first claim of the year here: the patient also sees
    // other providers, so less is left the later in the year the first visit falls.
    pt.deductibleYear = year;
    const full = pt.hdhp ? 250_000n : arch.deductible;
    const share = Math.max(0, 1 - (monthOf(claim.dos) - 1) / 7) * ctx.rng.next() * 0.5;
    // Whole dollars, half up, computed exactly from the drawn share.
    pt.deductibleLeft = scaleCents(full, share, 100n);
  }
  let copayLeft = claim.patient.copay;
  claim.lines.forEach((line, i) => {
    const cas: CasItem[] = [];
    let paid = 0n;
    let allowed: Cents | null = null;
    let remark: string | null = null;
    const denied = denial && (denial.line === -1 || denial.line === i);
    if (denied && denial) {
      if (line.charge > 0n)
        cas.push({ group: denial.code.group, reason: denial.code.carc, amount: line.charge });
      remark = denial.code.rarc;
      if (denial.code.group === 'PR') prTotal += line.charge;
      else if (denial.line !== -1)
        lineDenials.push({
          line: line.n,
          group: denial.code.group,
          reason: denial.code.carc,
          amount: line.charge,
        });
    } else if (line.charge > 0n) {
      let rate = contractRate(payer, line.cpt, claim.dos) * BigInt(line.units);
      if (payer.id === UNDERPAY_PAYER && claim.dos >= ctx.contractDay && UNDERPAY_CODES.includes(line.cpt)) {
        const contracted = rate;
        rate = applyRate(rate, UNDERPAY_RATE_BP);
        ctx.state.underpay.lines++;
        ctx.state.underpay.shortfall += contracted - rate;
        if (ctx.state.underpay.examples.length < 5)
          ctx.state.underpay.examples.push({
            claim_id: claim.id,
            cpt: line.cpt,
            contracted_cents: contracted,
            paid_allowed_cents: rate,
          });
      }
      let al = minCents(rate, line.charge);
      if (i === 0 && claim.overpay > 0n) al = minCents(line.charge, al + claim.overpay);
      allowed = al;
      const preventive = /^(9938|9939|G043)/.test(line.cpt);
      let copay = 0n;
      let ded = 0n;
      let coins = 0n;
      if (!preventive) {
        if (i === 0 && copayLeft > 0n) {
          // Copay plans: the office visit costs the copay only.
          copay = minCents(copayLeft, al);
          copayLeft -= copay;
        } else {
          ded = minCents(pt.deductibleLeft, al);
          pt.deductibleLeft -= ded;
          coins = applyRate(al - ded, arch.coinsuranceBp);
        }
      }
      const pr = copay + ded + coins;
      const seq = arch.sequestration ? applyRate(al - pr, 200) : 0n;
      paid = al - pr - seq;
      if (line.charge - al > 0n) {
        cas.push({ group: 'CO', reason: '45', amount: line.charge - al });
        contractual.push({ line: line.n, group: 'CO', reason: '45', amount: line.charge - al });
      }
      if (ded > 0n) cas.push({ group: 'PR', reason: '1', amount: ded });
      if (coins > 0n) cas.push({ group: 'PR', reason: '2', amount: coins });
      if (copay > 0n) cas.push({ group: 'PR', reason: '3', amount: copay });
      if (seq > 0n) {
        cas.push({ group: 'CO', reason: '253', amount: seq });
        contractual.push({ line: line.n, group: 'CO', reason: '253', amount: seq });
      }
      prTotal += pr;
    }
    paidTotal += paid;
    lines.push({
      cpt: line.cpt,
      modifiers: line.mods,
      charge: line.charge,
      paid,
      units: line.units,
      dos: claim.dos,
      cas,
      controlNumber: `${claim.id}-${line.n}`,
      allowed,
      remark,
    });
  });
  const fullyDenied =
    denial !== null && lines.every((l) => l.paid === 0n && l.cas.length > 0 && l.allowed === null);
  // Some payers report a whole-claim denial at claim level only: CAS after CLP, MOA remark, no SVC loops.
  const claimLevel = fullyDenied && denial !== null && denial.line === -1 && arch.claimLevelDenials;
  const remit: RemitClaim = {
    claimId: claim.id,
    status: fullyDenied ? '4' : '1',
    charge: claim.charge,
    paid: paidTotal,
    patientResp: prTotal,
    filing: arch.filing,
    payerControl: `${yearOf(runDay) % 100}${String(runDay % 1000).padStart(3, '0')}${ctx.rng.digits(9)}`,
    frequency,
    patient: { last: pt.last, first: pt.first, middle: pt.middle, memberId: pt.memberId },
    rendering: { last: claim.provider.last, first: claim.provider.first, npi: claim.provider.npi },
    receivedDay,
    cas:
      claimLevel && denial
        ? [{ group: denial.code.group, reason: denial.code.carc, amount: claim.charge }]
        : [],
    remark: claimLevel && denial ? denial.code.rarc : null,
    lines: claimLevel ? [] : lines,
  };
  let interest = 0n;
  const late = runDay - receivedDay - arch.interestAfterDays;
  if (arch.interestAfterDays > 0 && paidTotal > 0n && late > 0) {
    interest = applyRate(paidTotal, Math.max(1, Math.round((500 * late) / 365)));
  }
  return { remit, posted: { remit, contractual, lineDenials, patientResp: prTotal }, interest };
}

/** A secondary's decision on what the primary left to the patient; it draws from the secondary stream only. */
export function adjudicateForSecondary(
  secondaryRng: Rng,
  claim: Claim,
  primary: RemitClaim,
  day: Day,
  receivedDay: Day,
): RemitClaim {
  const sec = claim.secondary as SecondaryCoverage;
  const medigap = claim.payer.arch.type === 'medicare';
  const covered = (reason: string, amount: Cents): Cents => {
    if (reason === '2' || reason === '3' || (reason === '1' && sec.paysDeductible))
      return medigap ? amount : applyRate(amount, SECONDARY_COVERAGE.commercialPaysBp);
    return 0n;
  };
  const lines: RemitLine[] = primary.lines.map((l) => {
    const pr = l.cas.filter((c) => c.group === 'PR');
    const prior = l.charge - sumCents(pr.map((c) => c.amount));
    const cas: CasItem[] = prior > 0n ? [{ group: 'OA', reason: '23', amount: prior }] : [];
    let paid = 0n;
    for (const c of pr) {
      const pays = covered(c.reason, c.amount);
      paid += pays;
      if (c.amount > pays) cas.push({ group: 'PR', reason: c.reason, amount: c.amount - pays });
    }
    return { ...l, paid, cas, allowed: null, remark: null };
  });
  const paid = sumCents(lines.map((l) => l.paid));
  return {
    claimId: claim.id,
    status: '2',
    charge: primary.charge,
    paid,
    patientResp: primary.patientResp - paid,
    filing: sec.payer.arch.filing,
    payerControl: `${yearOf(day) % 100}${String(day % 1000).padStart(3, '0')}${secondaryRng.digits(9)}`,
    frequency: '1',
    patient: { ...primary.patient, memberId: sec.memberId },
    rendering: primary.rendering,
    receivedDay,
    cas: [],
    remark: null,
    lines,
  };
}

/** Whether a payer will deny a claim, and how: decided when the claim is made, so its history can follow. */
export function decideDenialFor(
  rng: Rng,
  practiceDenial: number,
  vendorFactor: (d: Day) => number,
  claim: Claim,
): Denial | null {
  const vf = vendorFactor(claim.dos);
  let p =
    claim.payer.arch.denial *
    practiceDenial *
    (1 + 0.9 * vf) *
    (claim.eligChecked ? 1 : 1.6) *
    (claim.authMissing ? 4 : 1);
  if (p > 0.6) p = 0.6;
  if (!rng.chance(p)) return null;
  const weights = DENIAL_CATEGORIES.map((c) => {
    let w = c.weight;
    if (c.key === 'eligibility' && !claim.eligChecked) w *= 2.5;
    if (c.key === 'authorization') w *= claim.authMissing ? 12 : 0.3;
    if (c.key === 'missing_information') w *= 1 + 1.2 * vf;
    if (c.key === 'timely_filing') w *= 1 + 3 * vf;
    if (c.key === 'coding') w *= 1 + 0.4 * vf;
    return w;
  });
  const category = DENIAL_CATEGORIES[rng.weightedIndex(weights)] as DenialCategory;
  const code = rng.pick(category.codes);
  let line = -1;
  if (category.scope === 'line') {
    const candidates = claim.lines.map((l, i) => (i > 0 && l.charge > 0n ? i : -1)).filter((i) => i > 0);
    line = candidates.length > 0 ? rng.pick(candidates) : claim.lines.length === 1 ? 0 : -1;
    if (claim.lines.length === 1) line = -1;
  }
  return { category, code, line, recover: line === -1 && rng.chance(category.recoverable) };
}
