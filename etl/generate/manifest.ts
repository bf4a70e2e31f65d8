/**
 * The ground truth the generator writes beside its files. Every amount is integer cents; every count is
 * computed while the corresponding row or segment is written, so the manifest equals what the files hold.
 */

import type { Cents } from '../money.ts';
import type { FileRecord } from './sink.ts';

export type CasGroup = 'CO' | 'PR' | 'OA' | 'PI';

/** A month's totals as the simulation counts them, amounts in integer cents. */
export interface MonthTally {
  practice_id: string;
  /** 'YYYY-MM' */
  month: string;
  pm: {
    /** Charges by month of service date (PM charges export). */
    charges_cents: Cents;
    charge_lines: number;
    claims: number;
    appointments: number;
    visits_completed: number;
    /** Payer payments by posted date (PM payments export, payment_source = payer). */
    payer_payments_cents: Cents;
    /** Patient payments by posted date, and the part collected at the time of service. */
    patient_payments_cents: Cents;
    patient_payments_tos_cents: Cents;
    /** Adjustments by posted date and adjustment_type. */
    adjustments_cents: Record<string, Cents>;
  };
  clearinghouse: {
    /** Claims whose first submission fell in the month. */
    claims_submitted: number;
    /** Every submission, including resubmissions. */
    submissions: number;
    /** Service lines and charges of those submissions: what the 837P batches (--emit-837) hold, by batch date. */
    submitted_lines: number;
    submitted_charges_cents: Cents;
    /** Rejection events by rejection date: 999 transaction-set rejections and 277CA claim rejections. */
    claims_rejected_999: number;
    claims_rejected_277ca: number;
    claims_accepted_277ca: number;
    files_999: number;
    files_277ca: number;
  };
  era: {
    /** By payment date (BPR16). */
    files: number;
    claims: number;
    /** Claims whose first remittance carried a denial (claim or line level), and those denied whole (CLP02 = 4). */
    claims_denied: number;
    claims_denied_full: number;
    /** Claims Medicare processed as primary and crossed over (CLP02 = 19); secondary payers' claims (CLP02 = 2) and their CLP04. */
    claims_crossover: number;
    claims_secondary: number;
    paid_secondary_cents: Cents;
    paid_cents: Cents;
    plb_cents: Cents;
    bpr_cents: Cents;
    charges_cents: Cents;
    cas_cents: Record<CasGroup, Cents>;
  };
  bank: {
    deposits: number;
    deposits_cents: Cents;
  };
}

/** A month's totals as the manifest's JSON holds them. */
export type MonthTotals = AsJson<MonthTally>;

/** A value as JSON holds it: integer cents (bigint) are JSON integers. */
export type AsJson<T> = T extends bigint
  ? number
  : T extends (infer U)[]
    ? AsJson<U>[]
    : T extends object
      ? { [K in keyof T]: AsJson<T[K]> }
      : T;

/**
 * The JSON form of a value: every bigint becomes the JSON integer with the same digits. The manifest is JSON,
 * whose numbers JavaScript reads as doubles, so an amount past 2^53 cents is refused rather than rounded.
 */
export function asJson<T>(value: T): AsJson<T> {
  if (typeof value === 'bigint') {
    const n = Number(value);
    if (!Number.isSafeInteger(n)) throw new Error(`amount too large for the manifest: ${value} cents`);
    return n as AsJson<T>;
  }
  if (Array.isArray(value)) return value.map((x) => asJson(x)) as AsJson<T>;
  if (value !== null && typeof value === 'object')
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, asJson(v)])) as AsJson<T>;
  return value as AsJson<T>;
}

export interface Anomaly {
  type:
    | 'era_not_posted'
    | 'posting_error'
    | 'deposit_mismatch'
    | 'underpayment'
    | 'overpayment_recovery'
    | 'reversal_forward_balance'
    | 'vendor_change'
    | 'em_outlier';
  practice_id: string;
  description: string;
  [key: string]: unknown;
}

export interface Canary {
  practice_id: string;
  patient_id: string;
  field: 'last_name' | 'full_name' | 'date_of_birth' | 'member_id' | 'phone' | 'address_line_1';
  value: string;
}

export interface PracticeSummary {
  practice_id: string;
  name: string;
  npi: string;
  tin: string;
  pm_dialect: string;
  /** Practice-level multipliers: visit volume, denial rate, eligibility-check rate at the start, Medicaid share shift. */
  traits: { volume: number; denial: number; eligibility: number; medicaidShift: number };
  providers: { provider_id: string; npi: string; name: string; em_profile: string }[];
  payers: { payer_id: string; payer_name: string; payer_type: string; edi_payer_id: string }[];
  patients: number;
  claims: number;
  charge_lines: number;
  reversals: { claim_id: string; era_file: string; kind: string }[];
  reversals_total: number;
}

export interface Manifest {
  generator: string;
  format_version: 1;
  options: Record<string, unknown>;
  seed: string;
  period: { start: string; end: string; as_of: string };
  money_unit: 'cents';
  definitions: Record<string, string>;
  practices: PracticeSummary[];
  totals: MonthTotals[];
  anomalies: Anomaly[];
  canaries: Canary[];
  files: FileRecord[];
}

export function emptyMonth(practiceId: string, month: string): MonthTally {
  return {
    practice_id: practiceId,
    month,
    pm: {
      charges_cents: 0n,
      charge_lines: 0,
      claims: 0,
      appointments: 0,
      visits_completed: 0,
      payer_payments_cents: 0n,
      patient_payments_cents: 0n,
      patient_payments_tos_cents: 0n,
      adjustments_cents: {},
    },
    clearinghouse: {
      claims_submitted: 0,
      submissions: 0,
      submitted_lines: 0,
      submitted_charges_cents: 0n,
      claims_rejected_999: 0,
      claims_rejected_277ca: 0,
      claims_accepted_277ca: 0,
      files_999: 0,
      files_277ca: 0,
    },
    era: {
      files: 0,
      claims: 0,
      claims_denied: 0,
      claims_denied_full: 0,
      claims_crossover: 0,
      claims_secondary: 0,
      paid_secondary_cents: 0n,
      paid_cents: 0n,
      plb_cents: 0n,
      bpr_cents: 0n,
      charges_cents: 0n,
      cas_cents: { CO: 0n, PR: 0n, OA: 0n, PI: 0n },
    },
    bank: { deposits: 0, deposits_cents: 0n },
  };
}

export const DEFINITIONS: Record<string, string> = {
  'pm.charges_cents': 'Sum of charge_amount in the PM charges export, by month of service_date.',
  'pm.payer_payments_cents': 'Sum of payer payments in the PM payments export, by month of posted_date.',
  'pm.patient_payments_cents':
    'Sum of patient payments (including time of service), by month of posted_date.',
  'pm.adjustments_cents':
    'Sum of PM adjustments by adjustment_type (contractual, denial_writeoff, line_denial_writeoff, small_balance, bad_debt, self_pay_discount), by month of posted_date.',
  'clearinghouse.claims_submitted': 'Claims whose first submission date falls in the month.',
  'clearinghouse.submitted_charges_cents':
    'Sum of CLM02 over every submission (resubmissions included), by submission date: the 837P batches.',
  'clearinghouse.claims_rejected_999':
    'Claims in 837 transaction sets rejected by a 999 (IK5 = R), by 999 date.',
  'clearinghouse.claims_rejected_277ca': 'Claims rejected by a 277CA (STC A3/A6/A7), by 277CA date.',
  'era.paid_cents': 'Sum of CLP04 over all 835 files, by month of the payment date BPR16.',
  'era.plb_cents': 'Sum of PLB amounts (positive reduces payment), by month of BPR16.',
  'era.bpr_cents': 'Sum of BPR02; equals paid_cents - plb_cents.',
  'era.cas_cents': 'Sum of CAS amounts (claim and line level) by group code, by month of BPR16.',
  'era.claims_denied': 'Claims whose first remittance denied at least one line (CARC in a denial category).',
  'era.claims_crossover':
    'Claims Medicare processed as primary and forwarded to the Medigap plan (CLP02 = 19), by month of BPR16.',
  'era.claims_secondary':
    'Claims remitted by a secondary payer (CLP02 = 2), by month of BPR16; paid_secondary_cents is their CLP04.',
  'bank.deposits_cents': 'Sum of the bank export amounts, by month of posting date.',
};
