import { isInputError } from '../input-error.ts';
import { formatCents } from '../money.ts';
import type { Imbalance } from './era835-records.ts';
import type { X12Issue } from './errors.ts';
import { segmentLocation } from './errors.ts';
import { parseX12File } from './parse.ts';

/** One problem, as `rcm inspect` prints it. */
export interface InspectIssue {
  code: string;
  location: string;
  message: string;
}

export interface InspectImbalance {
  level: Imbalance['level'];
  transaction_control_number: string;
  location: string;
  patient_control_number: string | null;
  rule: string;
  stated: string;
  computed: string;
  difference: string;
}

/** The JSON object `rcm inspect FILE --json` prints; type-specific fields are present only for that type. */
export interface InspectResult {
  type: string | null;
  version: string | null;
  interchanges: number;
  transactions: number;
  // 835
  claims?: number;
  service_lines?: number;
  total_paid?: string;
  claims_paid?: string;
  plb_total?: string;
  balanced?: boolean;
  imbalances?: InspectImbalance[];
  // 837P (claims, service_lines)
  total_charge?: string;
  // 277CA (claims), 999 (transaction_sets)
  accepted?: number;
  rejected?: number;
  transaction_sets?: number;
  warnings: InspectIssue[];
  errors: InspectIssue[];
}

/** Imbalances listed in full up to this many; the rest are counted in a warning. */
const MAX_LISTED_IMBALANCES = 1000;

/**
 * Parses and validates one X12 file without loading it. Never throws for bad input: a file that cannot be read
 * as X12 comes back with `errors` (the CLI then exits non-zero); warnings do not make it fail.
 */
export async function inspectFile(filePath: string): Promise<InspectResult> {
  let claims = 0;
  let serviceLines = 0;
  let totalPaid = 0n;
  let claimsPaid = 0n;
  let plbTotal = 0n;
  let balanced = true;
  let extraImbalances = 0;
  const imbalances: InspectImbalance[] = [];
  const sink = {
    remittance(r: {
      claimCount: number;
      serviceLineCount: number;
      totalPaidCents: bigint | null;
      claimsPaidCents: bigint;
      plbTotalCents: bigint;
      balanced: boolean;
    }) {
      claims += r.claimCount;
      serviceLines += r.serviceLineCount;
      totalPaid += r.totalPaidCents ?? 0n;
      claimsPaid += r.claimsPaidCents;
      plbTotal += r.plbTotalCents;
      if (!r.balanced) balanced = false;
    },
    imbalance(i: Imbalance) {
      if (imbalances.length >= MAX_LISTED_IMBALANCES) {
        extraImbalances++;
        return;
      }
      imbalances.push({
        level: i.level,
        transaction_control_number: i.transactionControlNumber,
        location: segmentLocation(i.segmentNo, i.offset),
        patient_control_number: i.patientControlNumber,
        rule: i.rule,
        stated: formatCents(i.statedCents),
        computed: formatCents(i.computedCents),
        difference: formatCents(i.differenceCents),
      });
    },
  };

  try {
    const parsed = await parseX12File(filePath, sink);
    const { summary } = parsed;
    const specific: Partial<InspectResult> = {};
    if (summary.firstType === '835') {
      specific.claims = claims;
      specific.service_lines = serviceLines;
      specific.total_paid = formatCents(totalPaid);
      specific.claims_paid = formatCents(claimsPaid);
      specific.plb_total = formatCents(plbTotal);
      specific.balanced = balanced;
      specific.imbalances = imbalances;
    } else if (summary.firstType === '837P') {
      specific.claims = parsed.totals837.claims;
      specific.service_lines = parsed.totals837.serviceLines;
      specific.total_charge = formatCents(parsed.totals837.chargeCents);
    } else if (summary.firstType === '277CA' || summary.firstType === '277') {
      specific.claims = parsed.totals277.claims;
      specific.accepted = parsed.totals277.accepted;
      specific.rejected = parsed.totals277.rejected;
    } else if (summary.firstType === '999') {
      specific.transaction_sets = parsed.totals999.transactionSets;
      specific.accepted = parsed.totals999.accepted;
      specific.rejected = parsed.totals999.rejected;
    }
    const result: InspectResult = {
      type: summary.firstType,
      version: summary.firstVersion,
      interchanges: summary.interchanges,
      transactions: summary.transactions,
      ...specific,
      warnings: [],
      errors: [],
    };
    for (const issue of parsed.issues)
      (issue.severity === 'error' ? result.errors : result.warnings).push(toInspectIssue(issue));
    if (extraImbalances > 0) {
      result.warnings.push({
        code: 'x12.more_imbalances',
        location: 'file',
        message: `${extraImbalances} more imbalances not listed`,
      });
    }
    return result;
  } catch (error) {
    if (!isInputError(error)) {
      const code = (error as NodeJS.ErrnoException).code;
      if (code !== 'ENOENT' && code !== 'EISDIR' && code !== 'EACCES') throw error;
    }
    const issue: InspectIssue = isInputError(error)
      ? {
          code: 'x12.unreadable',
          location: error.location,
          message: `expected ${error.expected}, found ${error.found}`,
        }
      : { code: 'file.unreadable', location: 'file', message: (error as Error).message };
    return { type: null, version: null, interchanges: 0, transactions: 0, warnings: [], errors: [issue] };
  }
}

function toInspectIssue(issue: X12Issue): InspectIssue {
  return {
    code: issue.code,
    location: segmentLocation(issue.segmentNo, issue.offset),
    message: issue.message,
  };
}
