/** A day's visits at the practice: appointments, the services billed, the claim made, and what is collected at the desk. */

import { applyRate, minCents, sumCents } from '../../money.ts';
import type { CsvRecord } from '../csv.ts';
import { type Day, dayOfMonth, isBusinessDay, monthKey, monthOf } from '../dates.ts';
import { newPatient, type Patient, type Practice, type Provider, secondaryCoverage } from '../practice.ts';
import { DIAGNOSES, EST_EM, NEW_EM } from '../reference.ts';
import { decideDenialFor } from './adjudication.ts';
import { monthTotals } from './calendar.ts';
import { billPatient } from './patient-billing.ts';
import { writeAdjustment, writePayment } from './posting-rows.ts';
import type { SimContext } from './state.ts';
import { planClaim, type SubmissionDates } from './submission.ts';
import type { Claim, Line } from './types.ts';

const SEASONALITY = [1.1, 1.08, 1.03, 0.98, 0.96, 0.92, 0.88, 0.94, 1.0, 1.06, 1.02, 0.93];
const SELF_PAY_METHODS = ['CARD', 'CASH', 'CHECK'] as const;
const SELF_PAY_METHOD_W = [70, 20, 10];
const COPAY_METHOD_W = [75, 18, 7];
const VISIT_KINDS = ['new', 'established', 'preventive'] as const;
const VISIT_KIND_W = [10, 82, 8];
const APPT_STATUSES = ['completed', 'no_show', 'cancelled'] as const;
const APPT_STATUS_W = [90, 5.5, 4.5];
const DX_COUNT_W = [0, 45, 35, 20];
const DIAGNOSIS_W = DIAGNOSES.map((d) => d.weight);

type VisitKind = (typeof VISIT_KINDS)[number];

/** The visits of a business day (none on New Year's Day, 4 July and Christmas), provider by provider. */
export function encounters(ctx: SimContext, d: Day): void {
  if (!isBusinessDay(d)) return;
  const md = `${monthOf(d)}-${dayOfMonth(d)}`;
  if (md === '1-1' || md === '7-4' || md === '12-25') return;
  const o = ctx.options;
  const season = SEASONALITY[monthOf(d) - 1] as number;
  const progress = (d - o.startDay) / Math.max(1, o.endDay - o.startDay);
  for (const prov of ctx.practice.providers) {
    const n = ctx.rng.poisson(prov.visitsPerDay * season);
    for (let k = 0; k < n; k++) visit(ctx, d, prov, progress);
  }
}

/** One appointment; a completed one becomes a claim. */
function visit(ctx: SimContext, d: Day, prov: Provider, progress: number): void {
  const { rng: r, practice, state } = ctx;
  const kind = r.weighted(VISIT_KINDS, VISIT_KIND_W);
  const lead = r.chance(0.25) ? 0 : r.int(1, 35);
  const pt = kind === 'new' ? newPatient(r, practice, d - lead) : pickPatient(ctx, prov);
  if (kind === 'new') prov.panel.push(pt);
  const status = r.weighted(APPT_STATUSES, APPT_STATUS_W);
  const loc = practice.locations[prov.locationIndex] as Practice['locations'][number];
  const eligChecked =
    pt.payer.arch.type !== 'self_pay' && r.chance(practice.traits.eligibility + 0.12 * progress);
  const eligAt = eligChecked ? (d - r.int(0, Math.min(2, lead))) * 1440 + r.int(7 * 60, 17 * 60) : null;
  const apptId = `A${String(++state.apptSeq).padStart(8, '0')}`;
  const wantsEcg = r.chance(0.04);
  const authRequired =
    pt.payer.arch.type !== 'self_pay' &&
    ((wantsEcg && (pt.payer.id === 'MAD' || pt.payer.id === 'MCD')) || r.chance(0.025));
  const authObtained = authRequired && r.chance(0.85);
  const appt: CsvRecord = {
    appointment_id: apptId,
    patient_id: pt.id,
    provider_id: prov.id,
    location_id: loc.id,
    scheduled_date: d - lead,
    appointment_date: d,
    appointment_type: kind,
    status,
    eligibility_checked_at: eligAt,
    authorization_required: authRequired,
    authorization_obtained: authObtained,
    claim_id: '',
  };
  const mt = monthTotals(state, d).pm;
  mt.appointments++;
  if (status !== 'completed') {
    ctx.appointments.row(monthKey(d), appt);
    return;
  }
  mt.visits_completed++;
  const { codes, dxs } = servicesFor(ctx, d, prov, pt, kind, wantsEcg);
  pt.seenBy.add(prov.id);

  const o = ctx.options;
  const claimId = `C${String((o.practiceIndex + 1) % 1000).padStart(3, '0')}${String(++state.claimSeq).padStart(7, '0')}`;
  const lines: Line[] = codes.map((c, i) => {
    const charge = practice.chargeMaster.get(c.cpt) ?? 0n;
    const ptr =
      c.cpt === '90686' || c.cpt === '90471'
        ? String(dxs.indexOf('Z23') + 1 || 1)
        : dxs
            .slice(0, Math.min(dxs.length, 3))
            .map((_, j) => String(j + 1))
            .join(':');
    return { n: i + 1, cpt: c.cpt, mods: c.mods, units: 1, charge, dxPtr: ptr };
  });
  const charge = sumCents(lines.map((l) => l.charge));
  const created =
    d + Math.max(0, Math.round(r.lognormal(1, 0.7)) - 1) + Math.round(ctx.vendorFactor(d) * r.int(3, 9));
  const claim: Claim = {
    id: claimId,
    patient: pt,
    provider: prov,
    payer: pt.payer,
    dos: d,
    lines,
    charge,
    eligChecked,
    authMissing: authRequired && !authObtained,
    denial: null,
    acceptedDays: [],
    firstRemitDone: false,
    balance: charge,
    patientPaid: 0n,
    last: null,
    overpay: 0n,
    reversed: false,
    keepLast: false,
    refundPending: false,
    diagnoses: dxs,
    secondary: secondaryCoverage(o.seed, practice, pt),
    forwarded: false,
  };
  appt.claim_id = claimId;
  ctx.appointments.row(monthKey(d), appt);

  let sub: SubmissionDates | null = null;
  const selfPay = pt.payer.arch.type === 'self_pay';
  // Planned even when entered after the as-of day (nothing after it is written, and the submission dates stay
  // empty): the draws must not depend on the as-of date, or a later one would change earlier files.
  if (!selfPay) {
    claim.denial = decideDenialFor(r, practice.traits.denial, ctx.vendorFactor, claim);
    sub = planClaim(ctx, claim, created);
  }
  for (const l of lines) {
    ctx.charges.row(monthKey(d), {
      claim_id: claimId,
      line_number: l.n,
      patient_id: pt.id,
      payer_id: pt.payer.id,
      plan_id: pt.payer.planId,
      rendering_provider_id: prov.id,
      rendering_npi: prov.npi,
      location_id: loc.id,
      service_date: d,
      cpt: l.cpt,
      modifier_1: l.mods[0] ?? '',
      modifier_2: l.mods[1] ?? '',
      units: l.units,
      icd10_1: dxs[0],
      icd10_2: dxs[1],
      icd10_3: dxs[2],
      icd10_4: dxs[3],
      dx_pointers: l.dxPtr,
      place_of_service: loc.pos,
      charge_amount: l.charge,
      claim_created_date: created,
      claim_submitted_date: sub?.firstSubmit ?? null,
      last_submitted_date: sub?.lastSubmit ?? null,
      resubmission_count: sub?.resubmissions ?? null,
      appointment_id: apptId,
    });
    mt.charges_cents += l.charge;
    mt.charge_lines++;
  }
  state.claimLines += lines.length;
  mt.claims++;
  collectAtVisit(ctx, claim, d, selfPay);
}

/** The services of a visit (CPT and modifiers) and its diagnoses (at most four). */
function servicesFor(
  ctx: SimContext,
  d: Day,
  prov: Provider,
  pt: Patient,
  kind: VisitKind,
  wantsEcg: boolean,
): { codes: { cpt: string; mods: string[] }[]; dxs: string[] } {
  const r = ctx.rng;
  const age = Math.floor((d - pt.dob) / 365.25);
  const isMedicare = pt.payer.arch.type === 'medicare';
  const codes: { cpt: string; mods: string[] }[] = [];
  const dx = diagnoses(ctx, r.weightedIndex(DX_COUNT_W));
  if (kind === 'preventive') {
    const prev = isMedicare
      ? pt.seenBy.size === 0
        ? 'G0438'
        : 'G0439'
      : age < 40
        ? '99395'
        : age < 65
          ? '99396'
          : '99397';
    codes.push({ cpt: prev, mods: [] });
    dx.unshift(r.chance(0.7) ? 'Z00.00' : 'Z00.01');
    if (r.chance(0.15)) codes.push({ cpt: r.weighted(EST_EM, prov.estEm), mods: ['25'] });
  } else {
    const em = kind === 'new' ? r.weighted(NEW_EM, prov.newEm) : r.weighted(EST_EM, prov.estEm);
    codes.push({ cpt: em, mods: [] });
  }
  if (wantsEcg) {
    codes.push({ cpt: '93000', mods: [] });
    const first = codes[0] as { mods: string[] };
    if (!first.mods.includes('25')) first.mods.push('25');
  }
  if (r.chance(0.22)) {
    codes.push({ cpt: '36415', mods: [] });
    const labs = ['85025', '80053', '80061', '83036'];
    const nLabs = r.int(1, 3);
    for (let j = 0; j < nLabs; j++) {
      const lab = labs.splice(r.int(0, labs.length - 1), 1)[0] as string;
      codes.push({ cpt: lab, mods: [] });
    }
  }
  const m = monthOf(d);
  if ((m >= 9 || m === 1) && r.chance(0.25)) {
    codes.push({ cpt: '90686', mods: [] });
    codes.push({ cpt: '90471', mods: [] });
    if (!dx.includes('Z23')) dx.push('Z23');
  }
  if (r.chance(0.1)) codes.push({ cpt: r.chance(0.5) ? '3074F' : '3078F', mods: [] });
  return { codes, dxs: dx.slice(0, 4) };
}

/** Time-of-service collections: a self-pay visit's discount and payment, or an insured patient's copay. */
function collectAtVisit(ctx: SimContext, claim: Claim, d: Day, selfPay: boolean): void {
  const r = ctx.rng;
  const pt = claim.patient;
  if (selfPay) {
    const discount = applyRate(claim.charge, 3_000);
    writeAdjustment(ctx, {
      claim: claim.id,
      line: null,
      payer: 'SELF',
      type: 'self_pay_discount',
      group: '',
      reason: 'SPD',
      amount: discount,
      day: d,
      reference: '',
      approve: false,
    });
    claim.balance -= discount;
    if (r.chance(0.55)) {
      const method = r.weighted(SELF_PAY_METHODS, SELF_PAY_METHOD_W);
      writePayment(ctx, {
        claim: claim.id,
        patient: pt.id,
        payer: '',
        source: 'patient',
        method,
        reference: method === 'CHECK' ? r.digits(4) : `R${r.digits(7)}`,
        paymentDay: d,
        postedDay: d,
        amount: claim.balance,
        tos: true,
      });
      claim.patientPaid += claim.balance;
      claim.balance = 0n;
    } else billPatient(ctx, claim, d, claim.balance);
  } else if (pt.copay > 0n && r.chance(0.8)) {
    const amount = minCents(pt.copay, claim.charge);
    const method = r.weighted(SELF_PAY_METHODS, COPAY_METHOD_W);
    writePayment(ctx, {
      claim: claim.id,
      patient: pt.id,
      payer: '',
      source: 'patient',
      method,
      reference: method === 'CHECK' ? r.digits(4) : `R${r.digits(7)}`,
      paymentDay: d,
      postedDay: d,
      amount,
      tos: true,
    });
    claim.patientPaid += amount;
    claim.balance -= amount;
  }
}

/** An established patient of the provider, weighted by how often they come. */
function pickPatient(ctx: SimContext, prov: Provider): Patient {
  const r = ctx.rng;
  for (;;) {
    const pt = prov.panel[Math.floor(r.next() * prov.panel.length)] as Patient;
    if (r.next() * 6 < pt.weight) return pt;
  }
}

/** n distinct diagnoses, weighted by how common they are in family practice. */
function diagnoses(ctx: SimContext, n: number): string[] {
  const out: string[] = [];
  while (out.length < n) {
    const d = (DIAGNOSES[ctx.rng.weightedIndex(DIAGNOSIS_W)] as { code: string }).code;
    if (!out.includes(d)) out.push(d);
  }
  return out;
}
