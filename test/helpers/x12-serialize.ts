import { formatCents } from '../../etl/money.ts';
import { DEFAULT_SEPARATORS, type Separators } from '../../etl/x12/separators.ts';

/**
 * Writes X12 from segments, and whole 835 interchanges from a small description. Used by tests (round trips,
 * synthetic fixtures) and the benchmark; the warehouse itself never writes X12.
 */

/** A segment as its elements; an element given as an array is a composite. */
export type SegmentSpec = readonly (string | readonly string[])[];

export function serializeSegments(
  segments: readonly SegmentSpec[],
  separators: Separators = DEFAULT_SEPARATORS,
  lineBreak = '',
): string {
  let out = '';
  for (const segment of segments) {
    const elements = segment.map((element) =>
      typeof element === 'string' ? element : element.join(separators.component),
    );
    // Trailing empty elements are dropped, as X12 requires.
    while (elements.length > 1 && elements[elements.length - 1] === '') elements.pop();
    out += elements.join(separators.element) + separators.segment + lineBreak;
  }
  return out;
}

/** The fixed-width ISA segment of 005010 (106 bytes with its terminator). */
export function isaSegment(
  separators: Separators,
  control: string,
  options: { sender?: string; receiver?: string; date?: string } = {},
): SegmentSpec {
  return [
    'ISA',
    '00',
    ''.padEnd(10),
    '00',
    ''.padEnd(10),
    'ZZ',
    (options.sender ?? 'SENDER').padEnd(15),
    'ZZ',
    (options.receiver ?? 'RECEIVER').padEnd(15),
    options.date ?? '260101',
    '1200',
    separators.repetition ?? 'U',
    '00501',
    control.padStart(9, '0'),
    '0',
    'P',
    separators.component,
  ];
}

export interface AdjustmentSpec {
  group: string;
  reason: string;
  cents: bigint;
  quantity?: string;
}

export interface LineSpec {
  qualifier: string;
  code: string;
  modifiers: string[];
  chargeCents: bigint;
  paidCents: bigint;
  units?: string;
  original?: { qualifier: string; code: string; modifiers: string[] };
  serviceDate?: string; // CCYYMMDD
  lineControlNumber?: string;
  allowedCents?: bigint;
  adjustments: AdjustmentSpec[];
  remarks?: string[];
}

export interface ClaimSpec {
  patientControlNumber: string;
  status: string;
  chargeCents: bigint;
  paidCents: bigint;
  patientResponsibilityCents?: bigint;
  filingIndicator?: string;
  payerClaimControlNumber?: string;
  originalReference?: string; // REF*F8
  patientLastName?: string;
  patientFirstName?: string;
  patientId?: string;
  renderingNpi?: string;
  statementFrom?: string;
  adjustments: AdjustmentSpec[];
  lines: LineSpec[];
}

export interface ProviderAdjustmentSpec {
  reason: string;
  reference?: string;
  cents: bigint;
}

export interface RemittanceSpec {
  controlNumber: string;
  /** BPR02; defaults to Σ CLP04 − Σ PLB, i.e. a balanced transaction. */
  totalPaidCents?: bigint;
  paymentMethod?: string;
  paymentDate?: string;
  traceNumber: string;
  payerName: string;
  payerId?: string;
  payeeName: string;
  payeeNpi: string;
  claims: ClaimSpec[];
  providerAdjustments: ProviderAdjustmentSpec[];
  providerId?: string;
  fiscalPeriodDate?: string;
}

const money = (cents: bigint) => formatCents(cents);

/** The segments of one 835 transaction set, ST through SE (SE01 counted). */
export function era835Segments(spec: RemittanceSpec): SegmentSpec[] {
  const body: SegmentSpec[] = [];
  let claimsPaid = 0n;
  let plb = 0n;
  for (const claim of spec.claims) claimsPaid += claim.paidCents;
  for (const adjustment of spec.providerAdjustments) plb += adjustment.cents;
  const total = spec.totalPaidCents ?? claimsPaid - plb;
  body.push(['ST', '835', spec.controlNumber]);
  body.push([
    'BPR',
    'I',
    money(total),
    total < 0n ? 'D' : 'C',
    spec.paymentMethod ?? 'ACH',
    'CCP',
    '01',
    '011000015',
    'DA',
    '123456',
    '1512345678',
    '',
    '01',
    '021000021',
    'DA',
    '654321',
    spec.paymentDate ?? '20260115',
  ]);
  body.push(['TRN', '1', spec.traceNumber, '1512345678']);
  body.push(['DTM', '405', '20260114']);
  body.push(['N1', 'PR', spec.payerName, 'XV', spec.payerId ?? '12345']);
  body.push(['N3', '1 PAYER WAY']);
  body.push(['N4', 'HARTFORD', 'CT', '06101']);
  body.push(['PER', 'BL', 'PROVIDER SERVICES', 'TE', '8005551212']);
  body.push(['N1', 'PE', spec.payeeName, 'XX', spec.payeeNpi]);
  body.push(['REF', 'TJ', '123456789']);
  if (spec.claims.length > 0) body.push(['LX', '1']);
  for (const claim of spec.claims) {
    body.push([
      'CLP',
      claim.patientControlNumber,
      claim.status,
      money(claim.chargeCents),
      money(claim.paidCents),
      claim.patientResponsibilityCents === undefined ? '' : money(claim.patientResponsibilityCents),
      claim.filingIndicator ?? 'MC',
      claim.payerClaimControlNumber ?? '',
      '11',
      '1',
    ]);
    pushAdjustments(body, claim.adjustments);
    body.push([
      'NM1',
      'QC',
      '1',
      claim.patientLastName ?? 'DOE',
      claim.patientFirstName ?? 'JANE',
      '',
      '',
      '',
      'MI',
      claim.patientId ?? 'M123',
    ]);
    if (claim.renderingNpi)
      body.push(['NM1', '82', '1', 'SMITH', 'ANN', '', '', '', 'XX', claim.renderingNpi]);
    if (claim.originalReference) body.push(['REF', 'F8', claim.originalReference]);
    if (claim.statementFrom) body.push(['DTM', '232', claim.statementFrom]);
    for (const line of claim.lines) {
      const procedure = [line.qualifier, line.code, ...line.modifiers];
      const original = line.original
        ? [line.original.qualifier, line.original.code, ...line.original.modifiers]
        : '';
      body.push([
        'SVC',
        procedure,
        money(line.chargeCents),
        money(line.paidCents),
        '',
        line.units ?? '1',
        original,
      ]);
      if (line.serviceDate) body.push(['DTM', '472', line.serviceDate]);
      pushAdjustments(body, line.adjustments);
      if (line.lineControlNumber) body.push(['REF', '6R', line.lineControlNumber]);
      if (line.allowedCents !== undefined) body.push(['AMT', 'B6', money(line.allowedCents)]);
      for (const remark of line.remarks ?? []) body.push(['LQ', 'HE', remark]);
    }
  }
  for (let i = 0; i < spec.providerAdjustments.length; i += 6) {
    const segment: (string | string[])[] = [
      'PLB',
      spec.providerId ?? '1512345678',
      spec.fiscalPeriodDate ?? '20261231',
    ];
    for (const adjustment of spec.providerAdjustments.slice(i, i + 6)) {
      segment.push(
        adjustment.reference ? [adjustment.reason, adjustment.reference] : adjustment.reason,
        money(adjustment.cents),
      );
    }
    body.push(segment);
  }
  body.push(['SE', String(body.length + 1), spec.controlNumber]);
  return body;
}

/** CAS segments: each group's adjustments, six triplets per segment at most. */
function pushAdjustments(body: SegmentSpec[], adjustments: AdjustmentSpec[]): void {
  let segment: string[] | null = null;
  for (const adjustment of adjustments) {
    if (segment === null || segment[1] !== adjustment.group || segment.length >= 2 + 6 * 3) {
      if (segment) body.push(segment);
      segment = ['CAS', adjustment.group];
    }
    segment.push(adjustment.reason, money(adjustment.cents), adjustment.quantity ?? '');
  }
  if (segment) body.push(segment);
}

/** A whole interchange (ISA…IEA) with one functional group holding the given 835 transaction sets. */
export function era835Interchange(
  remittances: RemittanceSpec[],
  separators: Separators = DEFAULT_SEPARATORS,
  control = '1',
): SegmentSpec[] {
  const segments: SegmentSpec[] = [isaSegment(separators, control)];
  segments.push(['GS', 'HP', 'SENDER', 'RECEIVER', '20260101', '1200', control, 'X', '005010X221A1']);
  for (const remittance of remittances) segments.push(...era835Segments(remittance));
  segments.push(['GE', String(remittances.length), control]);
  segments.push(['IEA', '1', control.padStart(9, '0')]);
  return segments;
}
