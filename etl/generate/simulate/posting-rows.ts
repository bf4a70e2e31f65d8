/** The rows a posting leaves: the PM's payments and adjustments, the bank's deposits, and their month totals. */

import { absCents, type Cents } from '../../money.ts';
import { type Day, monthKey } from '../dates.ts';
import type { Rng } from '../prng.ts';
import { monthTotals } from './calendar.ts';
import type { SimContext } from './state.ts';

export const WRITE_OFF_APPROVAL_THRESHOLD: Cents = 10_000n;
export const APPROVERS = ['mgr.okafor', 'mgr.lindqvist', 'dr.owner'];

/** What writing posting rows needs of the context: the secondary stream's rows are numbered apart. */
export type PostingRows = Pick<
  SimContext,
  'state' | 'payments' | 'adjustments' | 'deposits' | 'rng' | 'secondaryRng'
>;

export interface PaymentRow {
  claim: string;
  patient: string;
  payer: string;
  source: 'payer' | 'patient';
  method: string;
  reference: string;
  paymentDay: Day;
  postedDay: Day;
  amount: Cents;
  tos: boolean;
  secondary?: boolean;
}

export interface AdjustmentRow {
  claim: string;
  line: number | null;
  payer: string;
  type: string;
  group: string;
  reason: string;
  amount: Cents;
  day: Day;
  reference: string;
  approve: boolean;
  rng?: Rng;
}

export function writePayment(out: PostingRows, rec: PaymentRow): void {
  out.payments.row(monthKey(rec.postedDay), {
    payment_id: rec.secondary
      ? `PS${String(++out.state.secondaryPaymentSeq).padStart(8, '0')}`
      : `PM${String(++out.state.paymentSeq).padStart(8, '0')}`,
    claim_id: rec.claim,
    patient_id: rec.patient,
    payer_id: rec.payer,
    payment_source: rec.source,
    payment_method: rec.method,
    reference_number: rec.reference,
    payment_date: rec.paymentDay,
    posted_date: rec.postedDay,
    amount: rec.amount,
    time_of_service: rec.tos,
  });
  const t = monthTotals(out.state, rec.postedDay).pm;
  if (rec.source === 'payer') t.payer_payments_cents += rec.amount;
  else {
    t.patient_payments_cents += rec.amount;
    if (rec.tos) t.patient_payments_tos_cents += rec.amount;
    // Refunds are checks drawn on the account, not deposits (the bank export lists credits only).
    if (rec.method === 'CARD') out.state.patientDeposit.card += rec.amount;
    else if (rec.amount > 0n) out.state.patientDeposit.other += rec.amount;
  }
}

export function writeAdjustment(out: PostingRows, rec: AdjustmentRow): void {
  if (rec.amount === 0n) return;
  out.adjustments.row(monthKey(rec.day), {
    adjustment_id:
      rec.rng === out.secondaryRng
        ? `AS${String(++out.state.secondaryAdjustmentSeq).padStart(8, '0')}`
        : `AJ${String(++out.state.adjustmentSeq).padStart(8, '0')}`,
    claim_id: rec.claim,
    line_number: rec.line,
    payer_id: rec.payer,
    adjustment_type: rec.type,
    group_code: rec.group,
    reason_code: rec.reason,
    amount: rec.amount,
    posted_date: rec.day,
    approved_by:
      rec.approve && absCents(rec.amount) > WRITE_OFF_APPROVAL_THRESHOLD
        ? (rec.rng ?? out.rng).pick(APPROVERS)
        : '',
    reference_number: rec.reference,
  });
  const a = monthTotals(out.state, rec.day).pm.adjustments_cents;
  a[rec.type] = (a[rec.type] ?? 0n) + rec.amount;
}

export function writeDeposit(
  out: PostingRows,
  day: Day,
  description: string,
  amount: Cents,
  reference: string,
  type: string,
): void {
  if (amount <= 0n) return;
  out.deposits.row(monthKey(day), {
    transaction_id: `${out.state.practiceId}T${String(++out.state.depositSeq).padStart(7, '0')}`,
    posting_date: day,
    description,
    amount,
    reference,
    type,
  });
  const t = monthTotals(out.state, day).bank;
  t.deposits++;
  t.deposits_cents += amount;
}
