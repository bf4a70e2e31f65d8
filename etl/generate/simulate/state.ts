/**
 * What the simulation of one practice carries from one simulated day to the next (the calendar, the work
 * queued for later days, the running numbers that name files and rows, the totals the manifest reports), and
 * the context every part of the simulation is handed: that state, the practice, its random streams and outputs.
 */

import type { Cents } from '../../money.ts';
import type { Day } from '../dates.ts';
import type { PmDialect } from '../dialects.ts';
import type { Anomaly, MonthTally, PracticeSummary } from '../manifest.ts';
import type { PeriodWriter } from '../pm-exports.ts';
import type { Practice } from '../practice.ts';
import type { Rng } from '../prng.ts';
import type { FileLog, FileQueue } from '../sink.ts';
import type { Attempt, Claim, RunItem } from './types.ts';

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

/** The days of the planted anomalies, and whether each has happened yet. */
export interface AnomalyPlan {
  notPosted: Day[];
  notPostedDone: boolean[];
  postingErrorDay: Day;
  postingErrorDone: boolean;
  depositMismatchDay: Day;
  depositMismatchDone: boolean;
  overpayDay: Day;
  overpayDone: boolean;
  reversalFbDay: Day;
  reversalFbDone: boolean;
}

/** The contract underpayment planted on one payer, as the manifest reports it. */
export interface UnderpaySummary {
  lines: number;
  shortfall: Cents;
  examples: { claim_id: string; cpt: string; contracted_cents: Cents; paid_allowed_cents: Cents }[];
}

export interface SimulationState {
  readonly practiceId: string;
  /** The day the exports are taken: nothing is scheduled after it. */
  readonly asOfDay: Day;
  /** The simulated day being run. */
  today: Day;
  /** Work scheduled for later days, run in the order it was scheduled. */
  events: Map<Day, (() => void)[]>;
  /** The primaries' payment runs: day → payer id → items adjudicated in that run's 835. */
  runs: Map<Day, Map<string, RunItem[]>>;
  /** Secondaries' payment runs, apart from the primaries' (their own 835s). */
  secondaryRuns: Map<Day, Map<string, RunItem[]>>;
  /** Each secondary's 835 numbering: interchange control and check number. */
  secondarySeq: Map<string, { isa: number; check: number }>;
  /** Today's submissions, by payer, written as one 837 batch each. */
  batch: Map<string, { claim: Claim; attempt: Attempt }[]>;
  /** A forward balance (PLB FB) carried from one run of a payer to its next. */
  fbCarry: Map<string, { amount: Cents; reference: string }>;
  /** Patient payments taken today, deposited at the end of the day. */
  patientDeposit: { card: Cents; other: Cents };

  claimSeq: number;
  apptSeq: number;
  paymentSeq: number;
  adjustmentSeq: number;
  /** Postings that follow a secondary's adjudication are numbered apart, so every other id stays as it was. */
  secondaryPaymentSeq: number;
  secondaryAdjustmentSeq: number;
  depositSeq: number;
  /** The clearinghouse's interchange control number (999/277CA). */
  chIsa: number;
  runSeq: number;
  claimLines: number;

  /** Month → the totals the manifest reports. */
  totals: Map<string, MonthTally>;
  anomalies: Anomaly[];
  reversals: PracticeSummary['reversals'];
  reversalCount: number;
  plan: AnomalyPlan;
  underpay: UnderpaySummary;
}

/**
 * Everything a part of the simulation of one practice works with. The random streams are drawn in the order
 * the simulation has always drawn them: that order is what makes the output byte-identical for a seed.
 */
export interface SimContext {
  readonly options: SimOptions;
  readonly practice: Practice;
  readonly state: SimulationState;
  /** The main random stream. */
  readonly rng: Rng;
  /** Secondary payers' stream, apart so that the primary path of every claim draws what it drew without them. */
  readonly secondaryRng: Rng;
  /** The day the billing vendor changes, and how much worse (0..1) the billing office works on a day. */
  readonly vendorDay: Day;
  readonly vendorFactor: (day: Day) => number;
  /** The day the new contract rates take effect. */
  readonly contractDay: Day;
  /** The practice's folder in the inbox. */
  readonly dir: string;
  readonly log: FileLog;
  readonly files: FileQueue;
  readonly appointments: PeriodWriter;
  readonly charges: PeriodWriter;
  readonly payments: PeriodWriter;
  readonly adjustments: PeriodWriter;
  readonly rejections: PeriodWriter;
  readonly deposits: PeriodWriter;
}

/** The state on the first simulated day, with the planted anomalies placed at fixed fractions of the run. */
export function newSimulationState(practiceId: string, o: SimOptions): SimulationState {
  const span = o.endDay - o.startDay;
  const at = (fraction: number): Day => o.startDay + Math.floor(span * fraction);
  return {
    practiceId,
    asOfDay: o.asOfDay,
    today: o.startDay,
    events: new Map<Day, (() => void)[]>(),
    runs: new Map<Day, Map<string, RunItem[]>>(),
    secondaryRuns: new Map<Day, Map<string, RunItem[]>>(),
    secondarySeq: new Map<string, { isa: number; check: number }>(),
    batch: new Map<string, { claim: Claim; attempt: Attempt }[]>(),
    fbCarry: new Map<string, { amount: Cents; reference: string }>(),
    patientDeposit: { card: 0n, other: 0n },
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
    totals: new Map<string, MonthTally>(),
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
    underpay: { lines: 0, shortfall: 0n, examples: [] },
  };
}
