import { formatCents } from '../money.ts';
import type { FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import type { Remittance } from '../x12/era835-records.ts';
import { X12Error } from '../x12/errors.ts';

/**
 * An 835's payment is named by its trace, TRN02, which "must be unique within the sender/receiver relationship"
 * (005010X221, TRN02; X12 RFIs 217 and 1847), the payer by TRN03. A second 835 with a payer's trace already in
 * the warehouse is either the same remittance delivered again in another envelope, which would count its money
 * twice, or a conflicting one; a corrected remittance carries a trace of its own. Such a file is refused when it
 * moves money (BPR02 ≠ 0), naming the file that holds the trace; a non-payment 835 that repeats a trace (a payer
 * habit the RFIs rule out) loads with a warning. A file repeating a trace of its own is not checked here: one
 * public sample repeats its transaction set 156 times, and it loads as it did.
 */

/** What the check needs of a remittance (its header: BPR, TRN). */
export type PaymentTrace = Pick<
  Remittance,
  | 'traceNumber'
  | 'originatingCompanyId'
  | 'totalPaidCents'
  | 'transactionControlNumber'
  | 'segmentNo'
  | 'offset'
>;

/** The header fields the check keeps (not the whole record, whose rows are already on their way to the tables). */
export function paymentTraceOf(r: Remittance): PaymentTrace {
  const { traceNumber, originatingCompanyId, totalPaidCents, transactionControlNumber, segmentNo, offset } =
    r;
  return { traceNumber, originatingCompanyId, totalPaidCents, transactionControlNumber, segmentNo, offset };
}

/** Where a trace is already held: a loaded file, or an earlier file of the same transaction. */
interface Holder {
  fileName: string;
  segmentNo: number | null;
}

export async function checkResentPayments(
  context: LoaderContext,
  payments: readonly PaymentTrace[],
): Promise<FileWarning[]> {
  const warnings: FileWarning[] = [];
  if (payments.length === 0) return warnings;
  const loaded = await context.once(`era-traces:${context.practiceId}`, () => loadedTraces(context));
  for (const payment of payments) {
    const trace = payment.traceNumber;
    if (trace === null || trace === '') continue;
    const payer = payment.originatingCompanyId ?? '';
    const key = traceKey(context.practiceId, payer, trace);
    const held = context.holdKey(key);
    const holder = held === null ? (loaded.get(key) ?? null) : { fileName: held, segmentNo: null };
    if (holder === null) continue;
    const where =
      holder.segmentNo === null ? holder.fileName : `${holder.fileName}, segment ${holder.segmentNo}`;
    const what = `trace ${trace} of payer ${payer || '(no TRN03)'}, which ${where} already holds`;
    if ((payment.totalPaidCents ?? 0n) !== 0n) {
      throw new X12Error({
        file: context.fileName,
        segmentNo: payment.segmentNo,
        offset: payment.offset,
        expected:
          'a payment trace (TRN02) not already loaded for this practice: a payer sends each payment once, and a ' +
          'corrected remittance carries a new trace',
        found: `transaction set ${payment.transactionControlNumber} paying $${formatCents(
          payment.totalPaidCents ?? 0n,
        )} with ${what}`,
      });
    }
    warnings.push({
      location: `segment ${payment.segmentNo} (byte ${payment.offset})`,
      code: 'x12.835.trace_reused',
      message: `non-payment 835 (BPR02 = 0) repeats ${what}; loaded, as it moves no money (if it is the same remittance again, its claims count twice)`,
    });
  }
  return warnings;
}

/**
 * Every payment trace the practice's loaded 835s hold, by key, with the first file holding each: read once per
 * load transaction (the transaction's own files are found by LoaderContext.holdKey).
 */
async function loadedTraces(context: LoaderContext): Promise<Map<string, Holder>> {
  const reader = await context.connection.runAndReadAll(
    `select coalesce(r.originating_company_id, ''), r.trace_number, f.original_name, r.segment_no
     from raw.era_remittances as r
     join raw.files as f on f.file_id = r.file_id
     where r.practice_id = $practice and r.trace_number <> ''
     order by r.file_id, r.segment_no`,
    { practice: context.practiceId },
  );
  const traces = new Map<string, Holder>();
  for (const [payer, trace, fileName, segmentNo] of reader.getRows()) {
    const key = traceKey(context.practiceId, String(payer), String(trace));
    if (!traces.has(key)) traces.set(key, { fileName: String(fileName), segmentNo: Number(segmentNo) });
  }
  return traces;
}

function traceKey(practiceId: string, payer: string, trace: string): string {
  return `${practiceId}\u0000${payer}\u0000${trace}`;
}
