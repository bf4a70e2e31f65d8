/**
 * What the simulation of one practice carries from one simulated day to the next: the calendar, the work
 * queued for later days, the running numbers that name files and rows, and the totals the manifest reports.
 */

import type { Day } from '../dates.ts';
import type { Anomaly, MonthTotals, PracticeSummary } from '../manifest.ts';
import type { Cents } from '../money.ts';
import type { Attempt, Claim, RunItem } from './types.ts';

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
  shortfall: number;
  examples: { claim_id: string; cpt: string; contracted_cents: number; paid_allowed_cents: number }[];
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
  patientDeposit: { card: number; other: number };

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
  totals: Map<string, MonthTotals>;
  anomalies: Anomaly[];
  reversals: PracticeSummary['reversals'];
  reversalCount: number;
  plan: AnomalyPlan;
  underpay: UnderpaySummary;
}
