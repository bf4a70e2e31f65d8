/** The simulated claims and the work items that carry them between events. */

import type { Cents } from '../../money.ts';
import type { Day } from '../dates.ts';
import type { CasGroup } from '../manifest.ts';
import type { Patient, PracticePayer, Provider, SecondaryCoverage } from '../practice.ts';
import type { CA_REJECTIONS, DenialCategory } from '../reference.ts';
import type { PlbItem, RemitClaim } from '../x12.ts';

export interface Line {
  n: number;
  cpt: string;
  mods: string[];
  units: number;
  charge: Cents;
  dxPtr: string;
}

export interface Attempt {
  day: Day;
  stRejected: boolean;
  ca: (typeof CA_REJECTIONS)[number] | null;
  ackDay: Day;
  freq: string;
  first: boolean;
}

export interface Denial {
  category: DenialCategory;
  code: DenialCategory['codes'][number];
  /** Line index denied, or -1 for every line. */
  line: number;
  recover: boolean;
}

export interface PostedRemit {
  remit: RemitClaim;
  contractual: { line: number; group: CasGroup; reason: string; amount: Cents }[];
  lineDenials: { line: number; group: CasGroup; reason: string; amount: Cents }[];
  patientResp: Cents;
}

export interface Claim {
  id: string;
  patient: Patient;
  provider: Provider;
  payer: PracticePayer;
  dos: Day;
  lines: Line[];
  charge: Cents;
  eligChecked: boolean;
  authMissing: boolean;
  denial: Denial | null;
  acceptedDays: Day[];
  firstRemitDone: boolean;
  balance: Cents;
  patientPaid: Cents;
  last: PostedRemit | null;
  overpay: Cents;
  reversed: boolean;
  keepLast: boolean;
  refundPending: boolean;
  diagnoses: string[];
  /** The patient's secondary coverage; `forwarded` once the primary's balance went to it. */
  secondary: SecondaryCoverage | null;
  forwarded: boolean;
}

export type RunItem =
  | { kind: 'adjudicate'; claim: Claim; receivedDay: Day; frequency: string; allowDenial: boolean }
  | { kind: 'reverse_correct'; claim: Claim }
  | { kind: 'reverse_only'; claim: Claim }
  | { kind: 'recover_overpayment'; claim: Claim }
  | { kind: 'secondary'; claim: Claim; primary: RemitClaim; receivedDay: Day };

export interface PostingAction {
  claim: Claim;
  /** The payer posting; the claim's primary payer when absent. */
  payer?: PracticePayer;
  /** A secondary's payment: the rest of its patient responsibility is billed from the secondary stream. */
  secondary?: boolean;
  /** The primary's patient responsibility goes to the secondary: by Medicare's crossover, or billed by the practice. */
  forward?: { crossover: boolean; primary: RemitClaim; day: Day };
  payment: Cents;
  adjustments: { line: number | null; type: string; group: string; reason: string; amount: Cents }[];
  /** After posting: bill the patient for this much. */
  patientBill: Cents;
  lineDenialWriteOff: Cents;
}

/** A payment run's 835 content and its postings; `firstDenials` are the claims denied at their first remittance. */
export interface RunDecisions {
  claims: RemitClaim[];
  plb: PlbItem[];
  actions: PostingAction[];
  firstDenials: { full: boolean }[];
}
