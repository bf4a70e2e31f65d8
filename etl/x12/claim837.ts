import { formatCents } from '../money.ts';
import type { TransactionContext, TransactionParser } from './envelope.ts';
import { shown } from './errors.ts';
import type { Segment } from './tokenizer.ts';
import { amountOrIssue, dateOrWarn, dateRangeOrWarn, quantityOrWarn } from './values.ts';

/**
 * 837P (005010X222A1) professional claims: what the practice billed. One record per CLM with its service lines
 * (LX/SV1) and diagnoses (HI), handed to the sink when the claim ends, so memory stays bounded by one claim.
 *
 * Loops read: 2010AA billing provider (NM1*85, REF*EI), 2000B subscriber (SBR, NM1*IL) and 2010BB payer
 * (NM1*PR), 2010CA patient (NM1*QC), 2300 claim (CLM, REF*F8, HI), 2310B rendering provider (NM1*82), 2400
 * lines (LX, SV1, DTP*472, REF*6R) and 2420A line rendering provider. An SBR after the CLM opens 2320 (other
 * subscriber): its NM1s name another payer and never overwrite the claim's.
 *
 * The file is the practice's own claim batch, so a claim that cannot be read whole is an error (the file is
 * quarantined): a service line or diagnosis outside a claim (a missing CLM), a claim without a service line,
 * an LX without its SV1, a subscriber or patient level without a claim, unreadable charges.
 */

export interface Claim837Line {
  segmentNo: number; // the SV1
  offset: number;
  lineNumber: number | null; // LX01
  procedureQualifier: string | null; // SV101-1
  procedureCode: string | null; // SV101-2
  modifiers: (string | null)[]; // SV101-3..6
  procedureDescription: string | null; // SV101-7
  chargeCents: bigint | null; // SV102
  unitBasis: string | null; // SV103
  units: string | null; // SV104
  placeOfService: string | null; // SV105
  diagnosisPointers: string | null; // SV107, components joined with ':'
  serviceFromDate: string | null; // DTP*472 (D8, or RD8 start)
  serviceToDate: string | null; // DTP*472 (RD8 end; the D8 date otherwise)
  lineControlNumber: string | null; // REF*6R
  renderingProviderNpi: string | null; // 2420A NM1*82
}

export interface Claim837Diagnosis {
  segmentNo: number; // the HI
  offset: number;
  diagnosisOrder: number; // 1-based over the claim's HI composites: what SV107 pointers refer to
  qualifier: string; // ABK/BK principal, ABF/BF other
  code: string;
}

export interface Claim837 {
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionControlNumber: string;
  version: string;
  segmentNo: number; // the CLM
  offset: number;
  transactionReference: string | null; // BHT03
  transactionDate: string | null; // BHT04
  claimId: string; // CLM01, the patient control number the 835 echoes in CLP01
  chargeCents: bigint | null; // CLM02
  placeOfService: string | null; // CLM05-1
  facilityCodeQualifier: string | null; // CLM05-2
  frequencyCode: string | null; // CLM05-3: 1 original, 7 replacement, 8 void
  originalReferenceNumber: string | null; // REF*F8: the payer claim number a replacement or void refers to
  billingProviderName: string | null;
  billingProviderNpi: string | null; // NM1*85 XX
  billingProviderTaxId: string | null; // REF*EI
  renderingProviderNpi: string | null; // 2310B NM1*82 XX; absent when the billing provider rendered
  payerResponsibility: string | null; // SBR01: P, S, T …
  claimFilingIndicator: string | null; // SBR09
  relationshipCode: string | null; // SBR02 (18 = self) or PAT01
  payerName: string | null; // 2010BB NM1*PR
  payerIdQualifier: string | null;
  payerId: string | null;
  subscriberLastName: string | null; // NM1*IL
  subscriberFirstName: string | null;
  memberId: string | null; // NM1*IL NM109
  patientLastName: string | null; // NM1*QC, else the subscriber
  patientFirstName: string | null;
  lineChargeCents: bigint; // Σ SV102
  /** CLM02 = Σ SV102, as the TR3 requires. */
  balanced: boolean;
  lines: Claim837Line[];
  diagnoses: Claim837Diagnosis[];
}

export interface Claim837Sink {
  claim837?(claim: Claim837): void;
}

export interface Claim837Totals {
  claims: number;
  serviceLines: number;
  chargeCents: bigint;
}

const DIAGNOSIS_QUALIFIERS = new Set(['ABK', 'ABF', 'BK', 'BF']);

const nullIfEmpty = (value: string): string | null => (value === '' ? null : value);

interface Level {
  code: string; // HL03: 20 billing, 22 subscriber, 23 patient
  hlId: string;
  segmentNo: number;
  offset: number;
  claims: number;
}

export class Claim837Parser implements TransactionParser {
  readonly totals: Claim837Totals = { claims: 0, serviceLines: 0, chargeCents: 0n };
  private transactionReference: string | null = null;
  private transactionDate: string | null = null;
  private billing = { name: null as string | null, npi: null as string | null, taxId: null as string | null };
  private subscriber = emptySubscriber();
  private patient = {
    last: null as string | null,
    first: null as string | null,
    relationship: null as string | null,
  };
  private level: Level | null = null;
  private claim: Claim837 | null = null;
  private line: Claim837Line | null = null;
  private lx: { number: number | null; segmentNo: number; offset: number } | null = null;
  /** After CLM, an SBR opens 2320 (other subscriber): payers and names there are not the claim's. */
  private otherSubscriber = false;

  constructor(
    private readonly context: TransactionContext,
    private readonly sink: Claim837Sink,
  ) {}

  segment(s: Segment, segmentNo: number, offset: number): void {
    switch (s.id) {
      case 'BHT':
        this.transactionReference = nullIfEmpty(s.el(3));
        this.transactionDate = dateOrWarn(this.context, s.el(4), 'BHT04', segmentNo, offset);
        return;
      case 'HL':
        this.hierarchy(s, segmentNo, offset);
        return;
      case 'SBR':
        if (this.claim) {
          this.otherSubscriber = true;
          return;
        }
        this.subscriber.responsibility = nullIfEmpty(s.el(1));
        this.subscriber.relationship = nullIfEmpty(s.el(2));
        this.subscriber.filing = nullIfEmpty(s.el(9));
        return;
      case 'PAT':
        this.patient.relationship = nullIfEmpty(s.el(1));
        return;
      case 'NM1':
        this.entity(s);
        return;
      case 'REF':
        this.reference(s);
        return;
      case 'CLM':
        this.startClaim(s, segmentNo, offset);
        return;
      case 'HI':
        this.diagnoses(s, segmentNo, offset);
        return;
      case 'LX':
        this.startLx(s, segmentNo, offset);
        return;
      case 'SV1':
        this.serviceLine(s, segmentNo, offset);
        return;
      case 'DTP':
        this.date(s, segmentNo, offset);
        return;
      default:
        return;
    }
  }

  end(segmentNo: number, offset: number): void {
    this.endLevel(segmentNo);
    if (this.totals.claims === 0) {
      this.error('x12.837.no_claims', 'transaction set holds no claim', 'CLM', 'none', segmentNo, offset);
    }
  }

  private error(
    code: string,
    message: string,
    expected: string,
    found: string,
    segmentNo: number,
    offset: number,
  ): void {
    this.context.issue('error', code, `${message}: expected ${expected}`, segmentNo, offset, {
      expected,
      found,
    });
  }

  private hierarchy(s: Segment, segmentNo: number, offset: number): void {
    const code = s.el(3);
    this.endLevel(segmentNo, s.el(2));
    this.level = { code, hlId: s.el(1), segmentNo, offset, claims: 0 };
    if (code === '20') {
      this.billing = { name: null, npi: null, taxId: null };
      this.subscriber = emptySubscriber();
    } else if (code === '22') {
      this.subscriber = emptySubscriber();
    }
    // Each patient level names its own patient (2010CA); any other level has none.
    this.patient = { last: null, first: null, relationship: null };
  }

  /**
   * Closes the open claim and checks that the level ending had a claim, unless it is a subscriber level and the
   * next HL (whose HL02 is `nextParent`) is its patient level: that subscriber's claims sit under the patient.
   */
  private endLevel(segmentNo: number, nextParent?: string): void {
    this.finishClaim(segmentNo);
    const level = this.level;
    this.level = null;
    if (!level || (level.code !== '22' && level.code !== '23') || level.claims > 0) return;
    if (level.code === '22' && nextParent === level.hlId) return;
    this.error(
      'x12.837.missing_claim',
      `${level.code === '22' ? 'subscriber' : 'patient'} level HL ${shown(level.hlId)} (segment ${level.segmentNo}) has no claim`,
      'CLM',
      'no CLM before the next HL or SE',
      level.segmentNo,
      level.offset,
    );
  }

  private entity(s: Segment): void {
    const code = s.el(1);
    if (this.otherSubscriber) return;
    const last = nullIfEmpty(s.el(3));
    const first = nullIfEmpty(s.el(4));
    const npi = s.el(8) === 'XX' ? nullIfEmpty(s.el(9)) : null;
    switch (code) {
      case '85':
        this.billing.name = last;
        this.billing.npi = npi;
        return;
      case 'IL':
        this.subscriber.last = last;
        this.subscriber.first = first;
        this.subscriber.memberId = nullIfEmpty(s.el(9));
        return;
      case 'PR':
        this.subscriber.payerName = last;
        this.subscriber.payerIdQualifier = nullIfEmpty(s.el(8));
        this.subscriber.payerId = nullIfEmpty(s.el(9));
        return;
      case 'QC':
        this.patient.last = last;
        this.patient.first = first;
        return;
      case '82':
        if (this.line) this.line.renderingProviderNpi = npi;
        else if (this.claim) this.claim.renderingProviderNpi = npi;
        return;
      default:
        return;
    }
  }

  private reference(s: Segment): void {
    const qualifier = s.el(1);
    const value = nullIfEmpty(s.el(2));
    if (qualifier === 'EI' && !this.claim && this.level?.code === '20') this.billing.taxId = value;
    else if (qualifier === 'F8' && this.claim && !this.lx && !this.otherSubscriber)
      this.claim.originalReferenceNumber = value;
    else if (qualifier === '6R' && this.line) this.line.lineControlNumber = value;
  }

  private startClaim(s: Segment, segmentNo: number, offset: number): void {
    this.finishClaim(segmentNo);
    const claimId = s.el(1);
    if (claimId === '') {
      this.error('x12.837.claim_id', 'CLM01 is empty', 'CLM01, the claim id', '""', segmentNo, offset);
    }
    const charge = s.el(2);
    const chargeCents = amountOrIssue(this.context, charge, 'CLM02', segmentNo, offset, true);
    if (charge === '') {
      this.error(
        'x12.837.claim_charge',
        'CLM02 is empty',
        'CLM02, the claim charge',
        '""',
        segmentNo,
        offset,
      );
    }
    const location = s.components(5, this.context.separators.component);
    if (this.level) this.level.claims++;
    this.otherSubscriber = false;
    const sub = this.subscriber;
    const patientIsSubscriber = this.level?.code !== '23';
    const context = this.context;
    // Listed rather than spread in: see Ack277Parser.emit (a literal starting with a spread is built slowly).
    this.claim = {
      interchangeControlNumber: context.interchangeControlNumber,
      groupControlNumber: context.groupControlNumber,
      transactionControlNumber: context.transactionControlNumber,
      version: context.version,
      segmentNo,
      offset,
      transactionReference: this.transactionReference,
      transactionDate: this.transactionDate,
      claimId,
      chargeCents,
      placeOfService: nullIfEmpty(location[0] ?? ''),
      facilityCodeQualifier: nullIfEmpty(location[1] ?? ''),
      frequencyCode: nullIfEmpty(location[2] ?? ''),
      originalReferenceNumber: null,
      billingProviderName: this.billing.name,
      billingProviderNpi: this.billing.npi,
      billingProviderTaxId: this.billing.taxId,
      renderingProviderNpi: null,
      payerResponsibility: sub.responsibility,
      claimFilingIndicator: sub.filing,
      relationshipCode: patientIsSubscriber
        ? sub.relationship
        : (this.patient.relationship ?? sub.relationship),
      payerName: sub.payerName,
      payerIdQualifier: sub.payerIdQualifier,
      payerId: sub.payerId,
      subscriberLastName: sub.last,
      subscriberFirstName: sub.first,
      memberId: sub.memberId,
      patientLastName: patientIsSubscriber ? sub.last : this.patient.last,
      patientFirstName: patientIsSubscriber ? sub.first : this.patient.first,
      lineChargeCents: 0n,
      balanced: true,
      lines: [],
      diagnoses: [],
    };
  }

  /** A segment of loop 2300 or 2400 needs the claim it belongs to: without one the CLM is missing. */
  private requireClaim(s: Segment, segmentNo: number, offset: number): Claim837 | null {
    if (this.claim) return this.claim;
    this.error(
      'x12.837.missing_claim',
      `${s.id} outside a claim`,
      `CLM before ${s.id}`,
      `${s.id} with no open claim`,
      segmentNo,
      offset,
    );
    return null;
  }

  private diagnoses(s: Segment, segmentNo: number, offset: number): void {
    const claim = this.requireClaim(s, segmentNo, offset);
    if (!claim || this.lx) return;
    for (let i = 1; i < s.count; i++) {
      const text = s.el(i);
      if (text === '') continue;
      const [qualifier = '', code = ''] = s.components(i, this.context.separators.component);
      if (!DIAGNOSIS_QUALIFIERS.has(qualifier)) {
        if (code === '') {
          this.context.issue(
            'warning',
            'x12.837.diagnosis',
            `HI${String(i).padStart(2, '0')} ${shown(text)} is not a qualifier and code; not loaded`,
            segmentNo,
            offset,
          );
        }
        // Other HI qualifiers (anesthesia, condition codes) are not diagnoses.
        continue;
      }
      if (code === '') {
        this.context.issue(
          'warning',
          'x12.837.diagnosis',
          `HI${String(i).padStart(2, '0')} ${shown(text)} has no diagnosis code; not loaded`,
          segmentNo,
          offset,
        );
        continue;
      }
      claim.diagnoses.push({
        segmentNo,
        offset,
        diagnosisOrder: claim.diagnoses.length + 1,
        qualifier,
        code,
      });
    }
  }

  private startLx(s: Segment, segmentNo: number, offset: number): void {
    if (!this.requireClaim(s, segmentNo, offset)) return;
    this.endLine(segmentNo);
    this.otherSubscriber = false;
    const text = s.el(1);
    const number = /^\d{1,6}$/.test(text) ? Number(text) : null;
    if (number === null) {
      this.context.issue(
        'warning',
        'x12.837.lx',
        `LX01 ${shown(text)} is not a line number`,
        segmentNo,
        offset,
      );
    }
    this.lx = { number, segmentNo, offset };
  }

  private serviceLine(s: Segment, segmentNo: number, offset: number): void {
    const claim = this.requireClaim(s, segmentNo, offset);
    if (!claim) return;
    if (!this.lx || this.line) {
      this.error('x12.837.missing_lx', 'SV1 without its own LX', 'LX before SV1', 'SV1', segmentNo, offset);
    }
    const separator = this.context.separators.component;
    const procedure = s.components(1, separator);
    const charge = s.el(2);
    const chargeCents = amountOrIssue(this.context, charge, 'SV102', segmentNo, offset, true);
    if (charge === '') {
      this.error('x12.837.line_charge', 'SV102 is empty', 'SV102, the line charge', '""', segmentNo, offset);
    }
    this.line = {
      segmentNo,
      offset,
      lineNumber: this.lx?.number ?? null,
      procedureQualifier: nullIfEmpty(procedure[0] ?? ''),
      procedureCode: nullIfEmpty(procedure[1] ?? ''),
      modifiers: [2, 3, 4, 5].map((k) => nullIfEmpty(procedure[k] ?? '')),
      procedureDescription: nullIfEmpty(procedure[6] ?? ''),
      chargeCents,
      unitBasis: nullIfEmpty(s.el(3)),
      units: quantityOrWarn(this.context, s.el(4), 'SV104', segmentNo, offset),
      placeOfService: nullIfEmpty(s.el(5)),
      diagnosisPointers: nullIfEmpty(
        s
          .components(7, separator)
          .filter((p) => p !== '')
          .join(':'),
      ),
      serviceFromDate: null,
      serviceToDate: null,
      lineControlNumber: null,
      renderingProviderNpi: null,
    };
    if (!procedure[1]) {
      this.error(
        'x12.837.procedure',
        'SV101 has no procedure code',
        'SV101 as qualifier:code',
        shown(s.el(1)),
        segmentNo,
        offset,
      );
    }
  }

  private date(s: Segment, segmentNo: number, offset: number): void {
    const line = this.line;
    if (!line || s.el(1) !== '472') return;
    const range = dateRangeOrWarn(this.context, s.el(2), s.el(3), 'DTP03 (472)', segmentNo, offset);
    line.serviceFromDate = range.from;
    line.serviceToDate = range.to;
  }

  /** Closes the open LX: it must have had its SV1. */
  private endLine(segmentNo: number): void {
    const lx = this.lx;
    const line = this.line;
    this.lx = null;
    this.line = null;
    if (lx && !line) {
      this.error(
        'x12.837.missing_sv1',
        `LX at segment ${lx.segmentNo} has no service line`,
        'SV1 after LX',
        `segment ${segmentNo} first`,
        lx.segmentNo,
        lx.offset,
      );
    }
    if (line && this.claim) {
      this.claim.lines.push(line);
      this.claim.lineChargeCents += line.chargeCents ?? 0n;
    }
  }

  private finishClaim(segmentNo: number): void {
    this.endLine(segmentNo);
    const claim = this.claim;
    this.claim = null;
    this.otherSubscriber = false;
    if (!claim) return;
    if (claim.lines.length === 0) {
      this.error(
        'x12.837.no_lines',
        `claim ${shown(claim.claimId)} (CLM at segment ${claim.segmentNo}) has no service line`,
        'LX and SV1',
        `segment ${segmentNo} first`,
        claim.segmentNo,
        claim.offset,
      );
    }
    claim.balanced = claim.chargeCents === claim.lineChargeCents;
    // A claim without lines is already an error: its charge cannot balance either.
    if (!claim.balanced && claim.lines.length > 0) {
      this.context.issue(
        'warning',
        'x12.837.charge_mismatch',
        `claim ${shown(claim.claimId)}: CLM02 ${claim.chargeCents === null ? 'missing' : formatCents(claim.chargeCents)} is not the sum of its SV102, ${formatCents(claim.lineChargeCents)}`,
        claim.segmentNo,
        claim.offset,
      );
    }
    this.totals.claims++;
    this.totals.serviceLines += claim.lines.length;
    this.totals.chargeCents += claim.chargeCents ?? 0n;
    this.sink.claim837?.(claim);
  }
}

function emptySubscriber() {
  return {
    responsibility: null as string | null,
    relationship: null as string | null,
    filing: null as string | null,
    last: null as string | null,
    first: null as string | null,
    memberId: null as string | null,
    payerName: null as string | null,
    payerIdQualifier: null as string | null,
    payerId: null as string | null,
  };
}
