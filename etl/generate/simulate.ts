/**
 * The day-by-day simulation of one practice. Encounters are generated in date order; every later step
 * (submission, acknowledgement, adjudication, posting, patient payment, deposit, write-off) is an event
 * scheduled on a future day, so only claims still in flight are held in memory and every output file is
 * written in date order as the simulated calendar advances.
 */

import { join } from 'node:path';
import { type CsvRecord, PeriodCsv } from './csv.ts';
import {
  addBusinessDays,
  addMonths,
  ccyymmdd,
  type Day,
  dayOf,
  dayOfMonth,
  firstOfMonth,
  isBusinessDay,
  isoOf,
  monthKey,
  monthOf,
  onOrAfterBusinessDay,
  yearOf,
} from './dates.ts';
import { BANK_DEPOSITS, CLEARINGHOUSE_REJECTIONS, type PmDialect } from './dialects.ts';
import type { Anomaly, MonthTotals, PracticeSummary } from './manifest.ts';
import { applyRate, type Cents, plain } from './money.ts';
import { pmExportWriters } from './pm-exports.ts';
import {
  addSecondaryPayers,
  buildPractice,
  newPatient,
  type Patient,
  type Practice,
  type PracticePayer,
  type Provider,
  type SecondaryCoverage,
  secondaryCoverage,
} from './practice.ts';
import { hashUnit, type Rng } from './prng.ts';
import { CA_REJECTIONS, DIAGNOSES, EST_EM, NEW_EM, SYNTAX_ERRORS } from './reference.ts';
import {
  type AdjudicationContext,
  adjudicateForSecondary,
  adjudicatePrimary,
  decideDenialFor,
  UNDERPAY_CODES,
  UNDERPAY_PAYER,
  UNDERPAY_RATE_BP,
} from './simulate/adjudication.ts';
import { addToRunOn, addToSecondaryRunOn, monthTotals, scheduleOn } from './simulate/calendar.ts';
import {
  type AdjustmentRow,
  APPROVERS,
  type PaymentRow,
  type PostingRows,
  WRITE_OFF_APPROVAL_THRESHOLD,
  writeAdjustment,
  writeDeposit,
  writePayment,
} from './simulate/posting-rows.ts';
import type { SimulationState } from './simulate/state.ts';
import { writePatients, writeStatic } from './simulate/static-files.ts';
import type { Attempt, Claim, Denial, Line, PostedRemit, PostingAction, RunItem } from './simulate/types.ts';
import { hhmmSeconds, negate, separatorsFor } from './simulate/x12-output.ts';
import type { FileLog, FileQueue } from './sink.ts';
import {
  type Ack277,
  type Ack999,
  type Batch837,
  type CaClaim,
  type CasItem,
  DEFAULT_LAYOUT,
  type PlbItem,
  type RemitClaim,
  type Remittance,
  remittanceTotal,
  write277ca,
  write835,
  write837p,
  write999,
} from './x12.ts';

export interface SimOptions {
  practiceIndex: number;
  providers: number;
  months: number;
  startDay: Day;
  endDay: Day;
  asOfDay: Day;
  visitsPerProviderDay: number;
  seed: string;
  dialect: PmDialect;
  outDir: string;
  /** Also write the 837P batches the practice submitted (under <practice>/submitted/). */
  emit837: boolean;
}

export interface SimResult {
  totals: MonthTotals[];
  anomalies: Anomaly[];
  canaries: { patient: Patient; practiceId: string }[];
  summary: PracticeSummary;
}

const CLEARINGHOUSE = { id: 'CLRHOUSE01', name: 'CLEARPATH EDI SERVICES' };
const SEASONALITY = [1.1, 1.08, 1.03, 0.98, 0.96, 0.92, 0.88, 0.94, 1.0, 1.06, 1.02, 0.93];
const STATEMENT_METHODS = ['CARD', 'CHECK', 'CASH'] as const;
const STATEMENT_METHOD_W = [60, 28, 12];
const SELF_PAY_METHODS = ['CARD', 'CASH', 'CHECK'] as const;
const SELF_PAY_METHOD_W = [70, 20, 10];
const COPAY_METHOD_W = [75, 18, 7];
const VISIT_KINDS = ['new', 'established', 'preventive'] as const;
const VISIT_KIND_W = [10, 82, 8];
const APPT_STATUSES = ['completed', 'no_show', 'cancelled'] as const;
const APPT_STATUS_W = [90, 5.5, 4.5];
const DX_COUNT_W = [0, 45, 35, 20];
const DIAGNOSIS_W = DIAGNOSES.map((d) => d.weight);

export async function simulatePractice(
  root: Rng,
  o: SimOptions,
  log: FileLog,
  files: FileQueue,
): Promise<SimResult> {
  const rng = root.fork('practice', o.practiceIndex);
  const practice = buildPractice(rng.fork('setup'), {
    index: o.practiceIndex,
    providers: o.providers,
    startDay: o.startDay,
    endDay: o.endDay,
    visitsPerProviderDay: o.visitsPerProviderDay,
  });
  const P = practice.id;
  const dir = join(o.outDir, P);
  const dialect = o.dialect;
  const r = rng.fork('run');
  // Everything about secondary payers draws from its own stream, so the primary path of every claim is unchanged.
  const r2 = rng.fork('secondary');
  addSecondaryPayers(r2, practice);

  // --- timeline knobs -----------------------------------------------------------------------------
  const span = o.endDay - o.startDay;
  const vendorDay = firstOfMonth(addMonths(o.startDay, Math.floor(o.months * 0.45)));
  const vendorFactor = (d: Day): number => {
    if (d < vendorDay) return 0;
    if (d < vendorDay + 60) return 1;
    if (d < vendorDay + 180) return 1 - (d - vendorDay - 60) / 120;
    return 0;
  };
  let contractDay = dayOf(`${yearOf(o.startDay + Math.floor(span * 0.4))}-01-01`);
  if (contractDay < o.startDay + Math.floor(span * 0.4))
    contractDay = dayOf(`${yearOf(contractDay) + 1}-01-01`);
  if (contractDay > o.endDay - 30) contractDay = firstOfMonth(o.startDay + Math.floor(span / 2));
  const at = (fraction: number): Day => o.startDay + Math.floor(span * fraction);

  // Everything that changes from one simulated day to the next, in one place (simulate/state.ts).
  const state: SimulationState = {
    practiceId: P,
    asOfDay: o.asOfDay,
    today: o.startDay,
    events: new Map<Day, (() => void)[]>(),
    runs: new Map<Day, Map<string, RunItem[]>>(),
    secondaryRuns: new Map<Day, Map<string, RunItem[]>>(),
    secondarySeq: new Map<string, { isa: number; check: number }>(),
    batch: new Map<string, { claim: Claim; attempt: Attempt }[]>(),
    fbCarry: new Map<string, { amount: Cents; reference: string }>(),
    patientDeposit: { card: 0, other: 0 },
    claimSeq: 0,
    apptSeq: 0,
    paymentSeq: 0,
    adjustmentSeq: 0,
    secondaryPaymentSeq: 0,
    secondaryAdjustmentSeq: 0,
    depositSeq: 0,
    chIsa: 0,
    runSeq: 0,
    claimLines: 0,
    totals: new Map<string, MonthTotals>(),
    anomalies: [],
    reversals: [],
    reversalCount: 0,
    plan: {
      notPosted: [at(0.35), at(0.7)],
      notPostedDone: [false, false],
      postingErrorDay: at(0.5),
      postingErrorDone: false,
      depositMismatchDay: at(0.6),
      depositMismatchDone: false,
      overpayDay: at(0.3),
      overpayDone: false,
      reversalFbDay: at(0.55),
      reversalFbDone: false,
    },
    underpay: {
      lines: 0,
      shortfall: 0,
      examples: [] as {
        claim_id: string;
        cpt: string;
        contracted_cents: number;
        paid_allowed_cents: number;
      }[],
    },
  };

  // --- output streams -----------------------------------------------------------------------------
  // A monthly export is run on the first day after its month (or on the as-of day, whichever is first).
  const exportDay = (period: string): Day => Math.min(o.asOfDay, addMonths(dayOf(`${period}-01`), 1));
  const pmDir = join(dir, 'pm');
  const {
    appointments: appointmentsOut,
    charges: chargesOut,
    payments: paymentsOut,
    adjustments: adjustmentsOut,
  } = pmExportWriters(pmDir, dialect, log, exportDay);
  const rejectionsOut = new PeriodCsv(
    join(dir, 'clearinghouse'),
    'rejections',
    'rejections',
    CLEARINGHOUSE_REJECTIONS.columns,
    CLEARINGHOUSE_REJECTIONS,
    log,
    'clearinghouse_rejections',
    exportDay,
  );
  const depositsOut = new PeriodCsv(
    join(dir, 'bank'),
    'deposits',
    'deposits',
    BANK_DEPOSITS.columns,
    BANK_DEPOSITS,
    log,
    'bank_deposits',
    exportDay,
  );

  writeStatic(practice, dir, dialect, log);

  // --- events -------------------------------------------------------------------------------------
  // the calendar: what runs on which day (simulate/calendar.ts)
  const month = (day: Day): MonthTotals => monthTotals(state, day);
  const schedule = (day: Day, fn: () => void): void => scheduleOn(state, day, fn);
  const addToRun = (payer: PracticePayer, day: Day, item: RunItem): Day =>
    addToRunOn(state, payer, day, item);
  const addToSecondaryRun = (payer: PracticePayer, day: Day, item: RunItem): void =>
    addToSecondaryRunOn(state, payer, day, item);

  // --- helpers ------------------------------------------------------------------------------------
  // the PM's payment and adjustment rows and the bank's deposit rows (simulate/posting-rows.ts)
  const rows: PostingRows = {
    state,
    payments: paymentsOut,
    adjustments: adjustmentsOut,
    deposits: depositsOut,
    rng: r,
    secondaryRng: r2,
  };
  const payment = (rec: PaymentRow): void => writePayment(rows, rec);
  const adjustment = (rec: AdjustmentRow): void => writeAdjustment(rows, rec);
  const deposit = (day: Day, description: string, amount: Cents, reference: string, type: string): void =>
    writeDeposit(rows, day, description, amount, reference, type);

  // --- patient side after an insurance posting ------------------------------------------------------
  // `dry`: the balance went to a secondary instead; make the same draws and post nothing, so every later claim
  // draws what it drew before secondaries existed.
  const billPatient = (claim: Claim, postedDay: Day, owed: Cents, g: Rng = r, dry = false): void => {
    if (owed <= 0) return;
    const pays = g.chance(0.8);
    if (pays) {
      schedule(postedDay + g.int(10, 60), () => {
        const amount = dry ? owed : Math.min(owed, claim.balance);
        if (amount <= 0) return;
        const method = g.weighted(STATEMENT_METHODS, STATEMENT_METHOD_W);
        const reference = method === 'CHECK' ? g.digits(4) : `R${g.digits(7)}`;
        if (dry) {
          state.paymentSeq++;
          return;
        }
        payment({
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
          secondary: g === r2,
        });
        claim.balance -= amount;
        claim.patientPaid += amount;
      });
    } else {
      schedule(postedDay + 120, () => {
        const amount = dry ? owed : Math.min(owed, claim.balance);
        if (amount <= 0) return;
        if (amount < 1_000 || g.chance(0.5)) {
          if (dry) {
            state.adjustmentSeq++;
            if (amount > WRITE_OFF_APPROVAL_THRESHOLD) g.pick(APPROVERS);
            return;
          }
          const type = amount < 1_000 ? 'small_balance' : 'bad_debt';
          adjustment({
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
  };

  // A patient credit (e.g. a copay collected at a preventive visit) is refunded by check a few weeks later.
  const refundCredit = (claim: Claim, postedDay: Day, g: Rng = r): void => {
    if (claim.balance >= 0 || claim.patientPaid <= 0 || claim.refundPending) return;
    claim.refundPending = true;
    schedule(postedDay + g.int(14, 45), () => {
      claim.refundPending = false;
      const amount = Math.min(-claim.balance, claim.patientPaid);
      if (amount <= 0) return;
      payment({
        claim: claim.id,
        patient: claim.patient.id,
        payer: '',
        source: 'patient',
        method: 'REFUND',
        reference: `RF${g.digits(6)}`,
        paymentDay: state.today,
        postedDay: state.today,
        amount: -amount,
        tos: false,
        secondary: g === r2,
      });
      claim.balance += amount;
      claim.patientPaid -= amount;
    });
  };

  // --- the posting of an ERA in the PM --------------------------------------------------------------
  const post = (actions: PostingAction[], remit: Remittance, fileName: string, postDay: Day): void => {
    schedule(postDay, () => {
      for (const a of actions) {
        let amount = a.payment;
        const payer = a.payer ?? a.claim.payer;
        if (
          !a.secondary &&
          !state.plan.postingErrorDone &&
          state.today >= state.plan.postingErrorDay &&
          amount >= 5_000 &&
          a.adjustments.every((x) => x.amount >= 0)
        ) {
          // Transposed digits in the dollars, e.g. 118.40 posted as 181.40.
          const s = plain(amount);
          const dollars = s.slice(0, -3);
          let wrong = amount + 1_000;
          if (dollars.length >= 2) {
            const t = dollars.slice(0, -2) + (dollars.at(-1) as string) + (dollars.at(-2) as string);
            const w = Number(t) * 100 + (amount % 100);
            if (w !== amount) wrong = w;
          }
          state.plan.postingErrorDone = true;
          state.anomalies.push({
            type: 'posting_error',
            practice_id: P,
            description: 'A payer payment was keyed with transposed digits when the ERA was posted.',
            claim_id: a.claim.id,
            era_file: fileName,
            trace_number: remit.trace,
            posted_date: isoOf(state.today),
            correct_cents: amount,
            posted_cents: wrong,
            difference_cents: wrong - amount,
          });
          amount = wrong;
        }
        if (amount !== 0) {
          payment({
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
          adjustment({
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
        if (a.lineDenialWriteOff > 0) {
          const claim = a.claim;
          const amountWo = a.lineDenialWriteOff;
          schedule(state.today + r.int(15, 40), () => {
            const amt = Math.min(amountWo, claim.balance);
            adjustment({
              claim: claim.id,
              line: null,
              payer: claim.payer.id,
              type: 'line_denial_writeoff',
              group: 'CO',
              reason: claim.denial ? claim.denial.code.carc : '',
              amount: amt,
              day: state.today,
              reference: '',
              approve: true,
            });
            claim.balance -= amt;
          });
        }
        const owed = a.patientBill - a.claim.patientPaid;
        const g = a.secondary ? r2 : r;
        billPatient(a.claim, state.today, Math.min(owed, a.claim.balance), g, a.forward !== undefined);
        refundCredit(a.claim, state.today, g);
        if (a.forward) sendToSecondary(a.claim, a.forward, state.today);
      }
    });
  };

  // --- adjudication -------------------------------------------------------------------------------
  // a primary payer's decision on one claim (simulate/adjudication.ts)
  const adjudication: AdjudicationContext = { state, rng: r, contractDay };
  const adjudicate = (
    claim: Claim,
    runDay: Day,
    receivedDay: Day,
    frequency: string,
    allowDenial: boolean,
  ): { remit: RemitClaim; posted: PostedRemit; interest: Cents } =>
    adjudicatePrimary(adjudication, claim, runDay, receivedDay, frequency, allowDenial);

  // --- secondary payers ----------------------------------------------------------------------------
  /**
   * After the primary's adjudication: whether the patient's cost share goes to the secondary. Medicare crosses the
   * claim over to the Medigap plan itself (CLP02 = 19, processed as primary and forwarded); a commercial primary
   * reports CLP02 = 1 and the practice bills the secondary once it has posted the primary's remittance. Claims the
   * simulation reverses or recoups later keep their patient billing.
   */
  const forwardToSecondary = (
    claim: Claim,
    remit: RemitClaim,
    day: Day,
  ): PostingAction['forward'] | undefined => {
    const sec = claim.secondary;
    if (!sec || claim.forwarded || claim.keepLast || claim.overpay > 0 || remit.status === '4')
      return undefined;
    const costShare = remit.lines.some((l) =>
      l.cas.some((c) => c.group === 'PR' && ['1', '2', '3'].includes(c.reason) && c.amount > 0),
    );
    if (!costShare) return undefined;
    claim.forwarded = true;
    const crossover = claim.payer.arch.type === 'medicare';
    if (crossover) {
      remit.status = '19';
      remit.crossoverCarrier = { name: sec.payer.arch.name, ediId: sec.payer.ediId };
    }
    return { crossover, primary: remit, day };
  };

  /**
   * The secondary's adjudication, in its own payment run: a crossover is with the Medigap plan from Medicare's
   * payment day; a commercial secondary receives the claim the practice sends a few days after posting the
   * primary's remittance. Either way it pays after the primary's payment is posted (`postedDay`, null when never
   * posted), so the primary's posting finds the balance it would have found without a secondary.
   */
  const sendToSecondary = (
    claim: Claim,
    forward: NonNullable<PostingAction['forward']>,
    postedDay: Day | null,
  ): void => {
    const sec = claim.secondary as SecondaryCoverage;
    const received = forward.crossover
      ? forward.day
      : addBusinessDays(postedDay ?? forward.day, r2.int(1, 5));
    const run = Math.max(received + lagDays(sec.payer, received, r2), (postedDay ?? forward.day) + 1);
    addToSecondaryRun(sec.payer, run, {
      kind: 'secondary',
      claim,
      primary: forward.primary,
      receivedDay: received,
    });
  };

  /**
   * The secondary's remittance (CLP02 = 2): per line, OA-23 for what the primary paid or adjusted (the prior
   * payer's adjudication), then the primary's deductible, coinsurance and copay, of which the secondary pays its
   * share; what it does not pay stays patient responsibility under the same reason code. Lines balance:
   * charge − OA-23 − remaining PR = paid.
   */
  const adjudicateSecondary = (claim: Claim, primary: RemitClaim, day: Day, receivedDay: Day): RemitClaim =>
    adjudicateForSecondary(r2, claim, primary, day, receivedDay);

  // --- flush a payer's payment run as one 835 --------------------------------------------------------
  // A secondary's runs (`secondaryRun`) draw from `g` = the secondary stream, number their files apart and
  // carry none of the planted anomalies, so the primary payers' files stay as they were.
  const flushRun = (
    day: Day,
    payer: PracticePayer,
    items: RunItem[],
    g: Rng = r,
    secondaryRun = false,
  ): void => {
    const claims: RemitClaim[] = [];
    const plb: PlbItem[] = [];
    const actions: PostingAction[] = [];
    const firstDenials: { full: boolean }[] = [];
    for (const it of items) {
      const claim = it.claim;
      if (it.kind === 'adjudicate') {
        const { remit, posted, interest } = adjudicate(
          claim,
          day,
          it.receivedDay,
          it.frequency,
          it.allowDenial,
        );
        claims.push(remit);
        if (!claim.firstRemitDone) {
          claim.firstRemitDone = true;
          if (remit.remark !== null || remit.lines.some((l) => l.remark !== null))
            firstDenials.push({ full: remit.status === '4' });
        }
        if (interest > 0) plb.push({ reason: 'L6', reference: claim.id, amount: -interest });
        // Keep the remittance only when a later reversal needs it (keeps memory and GC work down).
        if (claim.keepLast && remit.status !== '4') claim.last = posted;
        const forward = forwardToSecondary(claim, remit, day);
        actions.push({
          forward,
          claim,
          payment: remit.paid,
          adjustments: posted.contractual.map((c) => ({
            line: c.line,
            type: 'contractual',
            group: c.group,
            reason: c.reason,
            amount: c.amount,
          })),
          patientBill: posted.patientResp,
          lineDenialWriteOff: posted.lineDenials.reduce((s, x) => s + x.amount, 0),
        });
      } else if (it.kind === 'reverse_correct' || it.kind === 'reverse_only') {
        const prev = claim.last;
        if (!prev || claim.reversed) continue;
        const rev = negate(prev.remit);
        claims.push(rev);
        const undo: PostingAction = {
          claim,
          payment: rev.paid,
          adjustments: prev.contractual.map((c) => ({
            line: c.line,
            type: 'contractual',
            group: c.group,
            reason: c.reason,
            amount: -c.amount,
          })),
          patientBill: 0,
          lineDenialWriteOff: 0,
        };
        actions.push(undo);
        state.reversalCount++;
        if (state.reversals.length < 50)
          state.reversals.push({ claim_id: claim.id, era_file: '', kind: it.kind });
        if (it.kind === 'reverse_only') {
          claim.reversed = true;
          plb.push({ reason: 'FB', reference: claim.id, amount: rev.paid });
          const carry = state.fbCarry.get(payer.id);
          state.fbCarry.set(payer.id, { amount: (carry?.amount ?? 0) - rev.paid, reference: claim.id });
        } else {
          // Retroactive rate correction: same patient share, allowed moves by a few percent.
          const delta = r.pick([-500, -300, -200, 200, 300, 400]);
          const lines = prev.remit.lines.map((l) => {
            if (l.allowed === null || l.allowed <= 0) return { ...l };
            const pr = l.cas.filter((c) => c.group === 'PR').reduce((s, c) => s + c.amount, 0);
            const hasSeq = l.cas.some((c) => c.reason === '253');
            let al = Math.min(l.charge, applyRate(l.allowed, 10_000 + delta));
            if (al < pr) al = pr;
            const seq = hasSeq ? applyRate(al - pr, 200) : 0;
            const cas: CasItem[] = [];
            if (l.charge - al > 0) cas.push({ group: 'CO', reason: '45', amount: l.charge - al });
            for (const c of l.cas) if (c.group === 'PR') cas.push({ ...c });
            if (seq > 0) cas.push({ group: 'CO', reason: '253', amount: seq });
            return { ...l, allowed: al, paid: al - pr - seq, cas };
          });
          const corrected: RemitClaim = {
            ...prev.remit,
            status: '1',
            frequency: '7',
            paid: lines.reduce((s, l) => s + l.paid, 0),
            payerControl: `${yearOf(day) % 100}${String(day % 1000).padStart(3, '0')}${r.digits(9)}`,
            lines,
          };
          claims.push(corrected);
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
          actions.push({
            claim,
            payment: corrected.paid,
            adjustments: contractualNew.map((c) => ({
              line: c.line,
              type: 'contractual',
              group: c.group,
              reason: c.reason,
              amount: c.amount,
            })),
            patientBill: 0,
            lineDenialWriteOff: 0,
          });
        }
      } else if (it.kind === 'secondary') {
        const remit = adjudicateSecondary(claim, it.primary, day, it.receivedDay);
        claims.push(remit);
        actions.push({
          claim,
          payer,
          secondary: true,
          payment: remit.paid,
          adjustments: [],
          patientBill: remit.patientResp,
          lineDenialWriteOff: 0,
        });
      } else if (it.kind === 'recover_overpayment') {
        const amount = claim.overpay;
        plb.push({ reason: 'WO', reference: `${claim.id}${ccyymmdd(claim.dos)}`, amount });
        actions.push({
          claim,
          payment: -amount,
          adjustments: [{ line: 1, type: 'contractual', group: 'CO', reason: '45', amount }],
          patientBill: 0,
          lineDenialWriteOff: 0,
        });
      }
    }
    if (claims.length === 0 && plb.length === 0) return;
    const carry = state.fbCarry.get(payer.id);
    if (
      carry &&
      carry.amount !== 0 &&
      !plb.some((p) => p.reason === 'FB' && p.amount < 0 && p.reference === carry.reference)
    ) {
      plb.push({ reason: 'FB', reference: carry.reference, amount: carry.amount });
      state.fbCarry.delete(payer.id);
    }
    let total = remittanceTotal({ claims, plb });
    if (total < 0) {
      const ref = `FWD${ccyymmdd(day)}`;
      plb.push({ reason: 'FB', reference: ref, amount: total });
      state.fbCarry.set(payer.id, {
        amount: (state.fbCarry.get(payer.id)?.amount ?? 0) - total,
        reference: ref,
      });
      total = 0;
    }
    const pIdx = practice.payers.indexOf(payer);
    const sec = state.secondarySeq.get(payer.id) ?? { isa: 0, check: 0 };
    if (secondaryRun) {
      state.secondarySeq.set(payer.id, sec);
      sec.isa++;
      sec.check++;
    } else state.runSeq++;
    const runNo = secondaryRun
      ? `9${String(sec.isa).padStart(5, '0')}`
      : String(state.runSeq).padStart(6, '0');
    const trace =
      payer.arch.method === 'ACH'
        ? `${String(o.practiceIndex + 1).padStart(3, '0')}${pIdx}${runNo}${g.digits(4)}`
        : secondaryRun
          ? String(90_000_000 + pIdx * 100_000 + sec.check)
          : String(++payer.checkSeq).padStart(8, '0');
    const productionDay = day - 1;
    const gsControl = secondaryRun ? 50_000 + sec.isa : ++payer.isaSeq;
    const isaControl = ((o.practiceIndex + 1) % 900) * 1_000_000 + pIdx * 100_000 + gsControl;
    const remit: Remittance = {
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
        street: (practice.locations[0] as { street: string }).street,
        city: (practice.locations[0] as { city: string }).city,
        state: (practice.locations[0] as { state: string }).state,
        zip: (practice.locations[0] as { zip: string }).zip,
      },
      receiverId: practice.submitterId,
      method: payer.arch.method,
      trace,
      paymentDay: day,
      productionDay,
      hhmm: `0${g.int(1, 5)}${String(g.int(0, 59)).padStart(2, '0')}`,
      claims,
      plb,
      amountStyle: payer.arch.x12Style,
      separators: separatorsFor(payer),
    };
    const fileName = `era/${payer.id}_${ccyymmdd(day)}_${trace}.835`;
    const bytes = files.write(join(dir, fileName), write835(remit));
    log.add(join(dir, fileName), 'era_835', bytes, 1, productionDay * 86_400 + hhmmSeconds(remit.hhmm));
    for (const rv of state.reversals) if (rv.era_file === '') rv.era_file = fileName;

    const t = month(day).era;
    t.files++;
    t.claims += claims.length;
    t.paid_cents += claims.reduce((s, c) => s + c.paid, 0);
    t.charges_cents += claims.reduce((s, c) => s + c.charge, 0);
    t.plb_cents += plb.reduce((s, p) => s + p.amount, 0);
    t.bpr_cents += total;
    for (const c of claims) {
      for (const x of c.cas) t.cas_cents[x.group] += x.amount;
      for (const l of c.lines) for (const x of l.cas) t.cas_cents[x.group] += x.amount;
    }
    t.claims_crossover += claims.filter((c) => c.status === '19').length;
    t.claims_secondary += claims.filter((c) => c.status === '2').length;
    t.paid_secondary_cents += claims.reduce((s, c) => s + (c.status === '2' ? c.paid : 0), 0);
    for (const f of firstDenials) {
      t.claims_denied++;
      if (f.full) t.claims_denied_full++;
    }

    // Posting in the PM (unless this is one of the ERAs the billing office never posted).
    let skip = false;
    for (let k = 0; k < state.plan.notPosted.length; k++) {
      if (
        !secondaryRun &&
        !state.plan.notPostedDone[k] &&
        day >= (state.plan.notPosted[k] as Day) &&
        total > 0 &&
        claims.length >= 3
      ) {
        state.plan.notPostedDone[k] = true;
        skip = true;
        state.anomalies.push({
          type: 'era_not_posted',
          practice_id: P,
          description: 'An 835 was received and paid but never posted in the PM.',
          era_file: fileName,
          payer_id: payer.id,
          trace_number: trace,
          payment_date: isoOf(day),
          bpr_cents: total,
          claims: claims.length,
          claims_paid_cents: claims.reduce((s, c) => s + c.paid, 0),
        });
        break;
      }
    }
    if (!skip) {
      const lag = g.int(1, 4) + Math.round(vendorFactor(day) * g.int(2, 8));
      post(actions, remit, fileName, addBusinessDays(day, lag));
    } else {
      // never posted: Medicare's crossover reaches the Medigap plan all the same
      for (const a of actions) if (a.forward?.crossover) sendToSecondary(a.claim, a.forward, null);
    }

    // The money reaching the bank.
    if (total > 0) {
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
        total > 20_000
      ) {
        state.plan.depositMismatchDone = true;
        const diff = r.int(1_200, 8_000);
        amount = total - diff;
        state.anomalies.push({
          type: 'deposit_mismatch',
          practice_id: P,
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
      schedule(depositDay, () => deposit(state.today, description, fixedAmount, trace, type));
    }
  };

  // --- clearinghouse ------------------------------------------------------------------------------
  const flushBatch = (day: Day): void => {
    if (state.batch.size === 0) return;
    const batchId = `${P}B${ccyymmdd(day)}`;
    const groups = practice.payers.filter((p) => state.batch.has(p.id));
    const sets: Ack999['sets'] = [];
    const caClaims: CaClaim[] = [];
    const ackDay = addBusinessDays(day, 1);
    const rejRows: { period: Day; row: CsvRecord }[] = [];
    groups.forEach((payer, gi) => {
      const items = state.batch.get(payer.id) as { claim: Claim; attempt: Attempt }[];
      const rejected = items[0]?.attempt.stRejected ?? false;
      const stControl = String(gi + 1).padStart(4, '0');
      if (rejected) {
        const err = SYNTAX_ERRORS[
          Math.floor(hashUnit(o.seed, P, day, payer.id, 'err') * SYNTAX_ERRORS.length)
        ] as (typeof SYNTAX_ERRORS)[number];
        sets.push({ stControl, accepted: false, error: err });
        for (const { claim } of items) {
          month(day).clearinghouse.claims_rejected_999++;
          rejRows.push({
            period: day,
            row: {
              batch_id: batchId,
              claim_id: claim.id,
              patient_id: claim.patient.id,
              payer_name: payer.arch.name,
              edi_payer_id: payer.ediId,
              service_date: claim.dos,
              charge_amount: claim.charge,
              submitted_date: day,
              rejection_date: day,
              source: '999',
              status: 'Rejected',
              category_code: 'R',
              reason_code: `${err.segment}${err.elementPos.toString().padStart(2, '0')}-${err.code}`,
              reason_text: `Transaction set rejected: ${err.segment} element ${err.elementPos} (loop ${err.loop})`,
              entity_code: '',
            },
          });
        }
      } else {
        sets.push({ stControl, accepted: true });
        for (const { claim, attempt } of items) {
          const ca = attempt.ca;
          caClaims.push({
            claimId: claim.id,
            patient: {
              last: claim.patient.last,
              first: claim.patient.first,
              middle: claim.patient.middle,
              memberId: claim.patient.memberId,
            },
            charge: claim.charge,
            fromDay: claim.dos,
            toDay: claim.dos,
            accepted: ca === null,
            category: ca ? ca.category : 'A2',
            status: ca ? ca.status : '20',
            entity: ca ? ca.entity : '',
            payerControl: ca ? null : `${payer.ediId}${r.digits(10)}`,
            clearinghouseTrace: `CH${ccyymmdd(day)}${r.digits(6)}`,
          });
          if (ackDay <= o.asOfDay) {
            if (ca) {
              month(ackDay).clearinghouse.claims_rejected_277ca++;
              rejRows.push({
                period: ackDay,
                row: {
                  batch_id: batchId,
                  claim_id: claim.id,
                  patient_id: claim.patient.id,
                  payer_name: payer.arch.name,
                  edi_payer_id: payer.ediId,
                  service_date: claim.dos,
                  charge_amount: claim.charge,
                  submitted_date: day,
                  rejection_date: ackDay,
                  source: '277CA',
                  status: 'Rejected',
                  category_code: ca.category,
                  reason_code: ca.status,
                  reason_text: ca.text,
                  entity_code: ca.entity,
                },
              });
            } else month(ackDay).clearinghouse.claims_accepted_277ca++;
          }
        }
      }
    });
    const sep = DEFAULT_LAYOUT;
    const groupNumber = day - o.startDay + 1;
    if (o.emit837) {
      const loc = practice.locations[0] as Practice['locations'][number];
      const batch837: Batch837 = {
        isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + groupNumber,
        gsControl: groupNumber,
        senderId: practice.submitterId,
        senderName: practice.name,
        receiverId: CLEARINGHOUSE.id,
        receiverName: CLEARINGHOUSE.name,
        billing: {
          name: practice.name,
          npi: practice.npi,
          tin: practice.tin,
          street: loc.street,
          city: loc.city,
          state: loc.state,
          zip: loc.zip,
        },
        batchId,
        day,
        hhmm: '1630',
        sets: groups.map((payer, gi) => ({
          stControl: String(gi + 1).padStart(4, '0'),
          claims: (state.batch.get(payer.id) as { claim: Claim; attempt: Attempt }[]).map(
            ({ claim, attempt }) => ({
              claimId: claim.id,
              frequency: attempt.freq,
              charge: claim.charge,
              patient: {
                last: claim.patient.last,
                first: claim.patient.first,
                middle: claim.patient.middle,
                memberId: claim.patient.memberId,
                dob: claim.patient.dob,
                sex: claim.patient.sex,
                street: claim.patient.address,
                city: claim.patient.city,
                state: claim.patient.state,
                zip: claim.patient.zip,
              },
              payer: { name: payer.arch.name, ediId: payer.ediId, filing: payer.arch.filing },
              rendering: { last: claim.provider.last, first: claim.provider.first, npi: claim.provider.npi },
              diagnoses: claim.diagnoses,
              lines: claim.lines.map((l) => ({
                cpt: l.cpt,
                modifiers: l.mods,
                charge: l.charge,
                units: l.units,
                pointers: l.dxPtr,
                dos: claim.dos,
                controlNumber: `${claim.id}-${l.n}`,
              })),
            }),
          ),
        })),
        separators: sep,
      };
      const f837 = join(dir, 'submitted', `837P_${ccyymmdd(day)}_${batchId}.837`);
      log.add(
        f837,
        'submitted_837p',
        files.write(f837, write837p(batch837)),
        groups.length,
        day * 86_400 + 16.5 * 3_600,
      );
    }
    state.chIsa++;
    const ack: Ack999 = {
      isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + state.chIsa,
      gsControl: state.chIsa,
      senderId: CLEARINGHOUSE.id,
      receiverId: practice.submitterId,
      day,
      hhmm: `${String(r.int(17, 22))}${String(r.int(0, 59)).padStart(2, '0')}`,
      ackedGroup: groupNumber,
      sets,
      separators: sep,
    };
    const f999 = join(dir, 'clearinghouse', `999_${ccyymmdd(day)}_${batchId}.999`);
    log.add(
      f999,
      'clearinghouse_999',
      files.write(f999, write999(ack)),
      1,
      day * 86_400 + hhmmSeconds(ack.hhmm),
    );
    month(day).clearinghouse.files_999++;
    if (caClaims.length > 0 && ackDay <= o.asOfDay) {
      state.chIsa++;
      const ca: Ack277 = {
        isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + state.chIsa,
        gsControl: state.chIsa,
        senderId: CLEARINGHOUSE.id,
        senderName: CLEARINGHOUSE.name,
        receiverId: practice.submitterId,
        receiverName: practice.name,
        billingNpi: practice.npi,
        billingName: practice.name,
        batchId,
        receiptDay: day,
        day: ackDay,
        hhmm: `0${r.int(2, 7)}${String(r.int(0, 59)).padStart(2, '0')}`,
        claims: caClaims,
        separators: sep,
      };
      const f277 = join(dir, 'clearinghouse', `277CA_${ccyymmdd(ackDay)}_${batchId}.277`);
      log.add(
        f277,
        'clearinghouse_277ca',
        files.write(f277, write277ca(ca)),
        1,
        ackDay * 86_400 + hhmmSeconds(ca.hhmm),
      );
      month(ackDay).clearinghouse.files_277ca++;
    }
    rejRows.sort((a, b) => a.period - b.period);
    for (const x of rejRows) rejectionsOut.row(monthKey(x.period), x.row);
    state.batch.clear();
  };

  // --- claim planning -----------------------------------------------------------------------------
  const p999 = (d: Day) => 0.012 * (1 + 2 * vendorFactor(d));
  const submissionPath = (
    claim: Claim,
    start: Day,
    freq: string,
    first: boolean,
  ): { attempts: Attempt[]; accepted: Day } => {
    const attempts: Attempt[] = [];
    let s = onOrAfterBusinessDay(start);
    for (let k = 0; ; k++) {
      const last = k >= 3;
      // A rejected transaction set rejects every claim of that payer in the day's batch: decide it by hash.
      const st = k < 40 && hashUnit(o.seed, P, s, claim.payer.id, 'st') < p999(s);
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
  };

  const scheduleAttempts = (claim: Claim, attempts: Attempt[]): void => {
    for (const a of attempts) {
      schedule(a.day, () => {
        const t = month(state.today).clearinghouse;
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
  };

  const lagDays = (payer: PracticePayer, d: Day, g: Rng = r): number => {
    const a = payer.arch;
    return (
      Math.max(a.lagMin, Math.round(g.lognormal(a.lagMedian, a.lagSigma))) +
      Math.round(vendorFactor(d) * g.int(0, 6))
    );
  };

  const decideDenial = (claim: Claim): Denial | null =>
    decideDenialFor(r, practice.traits.denial, vendorFactor, claim);

  const planClaim = (
    claim: Claim,
    created: Day,
  ): { firstSubmit: Day; lastSubmit: Day; resubmissions: number } => {
    const first = submissionPath(claim, created + (r.chance(0.7) ? 0 : 1), '1', true);
    const all = [...first.attempts];
    claim.acceptedDays.push(first.accepted);
    const receivedDay = first.accepted;
    const run1 = addToRun(claim.payer, first.accepted + lagDays(claim.payer, first.accepted), {
      kind: 'adjudicate',
      claim,
      receivedDay,
      frequency: '1',
      allowDenial: true,
    });
    const posted1 = addBusinessDays(run1, 4);
    if (claim.denial) {
      if (claim.denial.recover) {
        const second = submissionPath(claim, posted1 + r.int(7, 35), '7', false);
        all.push(...second.attempts);
        claim.acceptedDays.push(second.accepted);
        addToRun(claim.payer, second.accepted + lagDays(claim.payer, second.accepted), {
          kind: 'adjudicate',
          claim,
          receivedDay: second.accepted,
          frequency: '7',
          allowDenial: false,
        });
      } else if (claim.denial.line === -1) {
        schedule(posted1 + r.int(20, 60), () => {
          const amount = claim.balance;
          if (amount <= 0) return;
          adjustment({
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
    } else {
      // Planted: an overpayment recovered later through PLB WO; a reversal carried as a forward balance.
      if (
        !state.plan.overpayDone &&
        claim.dos >= state.plan.overpayDay &&
        claim.payer.id === 'ATL' &&
        (claim.lines[0]?.charge ?? 0) >= 10_000
      ) {
        state.plan.overpayDone = true;
        claim.overpay = 2_500;
        const woRun = addToRun(claim.payer, run1 + r.int(35, 60), { kind: 'recover_overpayment', claim });
        state.anomalies.push({
          type: 'overpayment_recovery',
          practice_id: P,
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
        const revRun = addToRun(claim.payer, run1 + r.int(30, 50), { kind: 'reverse_only', claim });
        state.anomalies.push({
          type: 'reversal_forward_balance',
          practice_id: P,
          description:
            'A paid claim was reversed (CLP02 = 22, retroactive termination) and the payer carried the recoupment to its next 835 with PLB FB pairs.',
          claim_id: claim.id,
          payer_id: claim.payer.id,
          reversal_run: isoOf(revRun),
        });
      } else if (r.chance(0.004)) {
        claim.keepLast = true;
        addToRun(claim.payer, run1 + r.int(14, 60), { kind: 'reverse_correct', claim });
      }
    }
    const seen = all.filter((a) => a.day <= o.asOfDay);
    const firstA = seen[0] as Attempt;
    scheduleAttempts(claim, all);
    return {
      firstSubmit: firstA.day,
      lastSubmit: (seen[seen.length - 1] as Attempt).day,
      resubmissions: seen.length - 1,
    };
  };

  // --- encounters ---------------------------------------------------------------------------------
  const pickPatient = (prov: Provider): Patient => {
    for (;;) {
      const pt = prov.panel[Math.floor(r.next() * prov.panel.length)] as Patient;
      if (r.next() * 6 < pt.weight) return pt;
    }
  };
  const diagnoses = (n: number): string[] => {
    const out: string[] = [];
    const w = DIAGNOSIS_W;
    while (out.length < n) {
      const d = (DIAGNOSES[r.weightedIndex(w)] as { code: string }).code;
      if (!out.includes(d)) out.push(d);
    }
    return out;
  };
  const ageOn = (pt: Patient, d: Day) => Math.floor((d - pt.dob) / 365.25);

  const encounters = (d: Day): void => {
    if (!isBusinessDay(d)) return;
    const md = `${monthOf(d)}-${dayOfMonth(d)}`;
    if (md === '1-1' || md === '7-4' || md === '12-25') return;
    const season = SEASONALITY[monthOf(d) - 1] as number;
    const progress = (d - o.startDay) / Math.max(1, span);
    for (const prov of practice.providers) {
      const n = r.poisson(prov.visitsPerDay * season);
      for (let k = 0; k < n; k++) {
        const kind = r.weighted(VISIT_KINDS, VISIT_KIND_W);
        const lead = r.chance(0.25) ? 0 : r.int(1, 35);
        const pt = kind === 'new' ? newPatient(r, practice, d - lead) : pickPatient(prov);
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
        const mt = month(d).pm;
        mt.appointments++;
        if (status !== 'completed') {
          appointmentsOut.row(monthKey(d), appt);
          continue;
        }
        mt.visits_completed++;
        // Lines.
        const age = ageOn(pt, d);
        const isMedicare = pt.payer.arch.type === 'medicare';
        const codes: { cpt: string; mods: string[] }[] = [];
        const dx = diagnoses(r.weightedIndex(DX_COUNT_W));
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
        const dxs = dx.slice(0, 4);
        pt.seenBy.add(prov.id);

        const claimId = `C${String((o.practiceIndex + 1) % 1000).padStart(3, '0')}${String(++state.claimSeq).padStart(7, '0')}`;
        const lines: Line[] = codes.map((c, i) => {
          const charge = (practice.chargeMaster.get(c.cpt) ?? 0) * 1;
          const ptr =
            c.cpt === '90686' || c.cpt === '90471'
              ? String(dxs.indexOf('Z23') + 1 || 1)
              : dxs
                  .slice(0, Math.min(dxs.length, 3))
                  .map((_, j) => String(j + 1))
                  .join(':');
          return { n: i + 1, cpt: c.cpt, mods: c.mods, units: 1, charge, dxPtr: ptr };
        });
        const charge = lines.reduce((s, l) => s + l.charge, 0);
        const created =
          d + Math.max(0, Math.round(r.lognormal(1, 0.7)) - 1) + Math.round(vendorFactor(d) * r.int(3, 9));
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
          patientPaid: 0,
          last: null,
          overpay: 0,
          reversed: false,
          keepLast: false,
          refundPending: false,
          diagnoses: dxs,
          secondary: secondaryCoverage(o.seed, practice, pt),
          forwarded: false,
        };
        appt.claim_id = claimId;
        appointmentsOut.row(monthKey(d), appt);

        let sub: { firstSubmit: Day | null; lastSubmit: Day | null; resubmissions: number } = {
          firstSubmit: null,
          lastSubmit: null,
          resubmissions: 0,
        };
        const selfPay = pt.payer.arch.type === 'self_pay';
        if (!selfPay && created <= o.asOfDay) {
          claim.denial = decideDenial(claim);
          sub = planClaim(claim, created);
        }
        lines.forEach((l) => {
          chargesOut.row(monthKey(d), {
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
            claim_submitted_date: sub.firstSubmit,
            last_submitted_date: sub.lastSubmit,
            resubmission_count: sub.firstSubmit === null ? null : sub.resubmissions,
            appointment_id: apptId,
          });
          mt.charges_cents += l.charge;
          mt.charge_lines++;
        });
        state.claimLines += lines.length;
        mt.claims++;

        // Time-of-service collections.
        if (selfPay) {
          const discount = applyRate(charge, 3_000);
          adjustment({
            claim: claimId,
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
            payment({
              claim: claimId,
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
            claim.balance = 0;
          } else billPatient(claim, d, claim.balance);
        } else if (pt.copay > 0 && r.chance(0.8)) {
          const amount = Math.min(pt.copay, charge);
          const method = r.weighted(SELF_PAY_METHODS, COPAY_METHOD_W);
          payment({
            claim: claimId,
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
    }
  };

  // --- the calendar -------------------------------------------------------------------------------
  const runEvents = (d: Day): void => {
    const list = state.events.get(d);
    if (!list) return;
    for (let i = 0; i < list.length; i++) (list[i] as () => void)();
    state.events.delete(d);
  };
  for (state.today = o.startDay; state.today <= o.asOfDay; state.today++) {
    const d = state.today;
    if (d <= o.endDay) encounters(d);
    runEvents(d);
    flushBatch(d);
    const byPayer = state.runs.get(d);
    if (byPayer) {
      for (const payer of practice.payers) {
        const items = byPayer.get(payer.id);
        if (items) flushRun(d, payer, items);
      }
      state.runs.delete(d);
    }
    const secondaryByPayer = state.secondaryRuns.get(d);
    if (secondaryByPayer) {
      for (const payer of practice.payers) {
        const items = secondaryByPayer.get(payer.id);
        if (items) flushRun(d, payer, items, r2, true);
      }
      state.secondaryRuns.delete(d);
    }
    // Same-day consequences of the flushes (EFT deposits land on the payment date).
    runEvents(d);
    if (files.pending > files.limit) await files.drain(files.limit / 2);
    if (state.patientDeposit.card > 0 || state.patientDeposit.other > 0) {
      const card = state.patientDeposit.card;
      const other = state.patientDeposit.other;
      const next = addBusinessDays(d + 1, 0);
      const ref = `${P}-${ccyymmdd(d)}`;
      schedule(next, () => {
        deposit(state.today, 'MERCHANT SVCS SETTLEMENT', card, `${ref}-CARD`, 'CARD_SETTLEMENT');
        deposit(state.today, 'BRANCH DEPOSIT', other, `${ref}-CASH`, 'CASH_CHECK_DEPOSIT');
      });
      state.patientDeposit.card = 0;
      state.patientDeposit.other = 0;
    }
  }
  await files.drain();
  appointmentsOut.close();
  chargesOut.close();
  paymentsOut.close();
  adjustmentsOut.close();
  rejectionsOut.close();
  depositsOut.close();
  writePatients(practice, dir, dialect, log);

  // --- planted patterns that are not single events ------------------------------------------------
  state.anomalies.push({
    type: 'vendor_change',
    practice_id: P,
    description:
      'The billing vendor changed: charge lag, clearinghouse rejections, denials and posting lag worsen for two months, then recover linearly over four.',
    change_date: isoOf(vendorDay),
    worst_until: isoOf(vendorDay + 59),
    recovered_by: isoOf(vendorDay + 179),
    vendor_before: 'Vendor A',
    vendor_after: 'Vendor B',
  });
  state.anomalies.push({
    type: 'underpayment',
    practice_id: P,
    description: `${UNDERPAY_PAYER} pays ${UNDERPAY_CODES.join(', ')} at ${UNDERPAY_RATE_BP / 100}% of the contracted rate for services on or after the contract date.`,
    payer_id: UNDERPAY_PAYER,
    cpt_codes: UNDERPAY_CODES,
    contract_effective_date: isoOf(contractDay),
    paid_rate_percent_of_contract: UNDERPAY_RATE_BP / 100,
    affected_lines: state.underpay.lines,
    shortfall_cents: state.underpay.shortfall,
    examples: state.underpay.examples,
  });
  for (const prov of practice.providers) {
    if (prov.emProfile === 'benchmark') continue;
    state.anomalies.push({
      type: 'em_outlier',
      practice_id: P,
      description: `Provider codes established-patient E/M levels clearly ${prov.emProfile === 'high' ? 'above' : 'below'} the family-practice benchmark.`,
      provider_id: prov.id,
      npi: prov.npi,
      direction: prov.emProfile,
      established_mix_percent: Object.fromEntries(EST_EM.map((c, i) => [c, prov.estEm[i]])),
    });
  }

  const months = [...state.totals.keys()].sort();
  return {
    totals: months.map((k) => state.totals.get(k) as MonthTotals),
    anomalies: state.anomalies,
    canaries: practice.canaries.map((patient) => ({ patient, practiceId: P })),
    summary: {
      practice_id: P,
      name: practice.name,
      npi: practice.npi,
      tin: practice.tin,
      pm_dialect: dialect.name,
      traits: practice.traits,
      providers: practice.providers.map((p) => ({
        provider_id: p.id,
        npi: p.npi,
        name: `${p.first} ${p.last}, ${p.credential}`,
        em_profile: p.emProfile,
      })),
      payers: practice.payers.map((p) => ({
        payer_id: p.id,
        payer_name: p.arch.name,
        payer_type: p.arch.type,
        edi_payer_id: p.ediId,
      })),
      patients: practice.patients.length,
      claims: state.claimSeq,
      charge_lines: state.claimLines,
      reversals: state.reversals,
      reversals_total: state.reversalCount,
    },
  };
}
