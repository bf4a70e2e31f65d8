import type { TransactionContext, TransactionParser } from './envelope.ts';
import type { Segment } from './tokenizer.ts';
import { amountOrIssue, dateOrWarn, dateRangeOrWarn, quantityOrWarn } from './values.ts';

/**
 * 277CA (005010X214) claim acknowledgment, and the 277 claim status response (005010X212), which shares its
 * HL/TRN/STC shape. One record per STC segment, at whichever level it appears: information source (HL03 20),
 * information receiver (21), billing/service provider (19), claim (PT, or 22/23 in the X212 subscriber and
 * dependent levels), or service line (an STC after SVC).
 */

export type StatusLevel =
  | 'information_source'
  | 'information_receiver'
  | 'provider'
  | 'claim'
  | 'service_line';

export interface ClaimStatus {
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionControlNumber: string;
  version: string;
  segmentNo: number; // the STC segment
  offset: number;
  level: StatusLevel;
  hlId: string | null; // HL01
  parentHlId: string | null; // HL02
  /** NM1 of the level: payer, receiver, provider or patient. */
  entityCode: string | null; // NM101
  entityName: string | null; // NM103 (+ NM104 for people)
  entityIdQualifier: string | null; // NM108
  entityId: string | null; // NM109
  /** TRN02 of the level; at claim level the patient control number from the 837 (CLM01). */
  traceNumber: string | null;
  /** REF*1K: the payer's claim control number. */
  payerClaimControlNumber: string | null;
  clearinghouseTraceNumber: string | null; // REF*D9
  billType: string | null; // REF*BLT
  categoryCode: string; // STC01-1
  statusCode: string | null; // STC01-2
  entityIdentifierCode: string | null; // STC01-3
  statusDate: string | null; // STC02
  actionCode: string | null; // STC03
  chargeCents: bigint | null; // STC04
  paidCents: bigint | null; // STC05
  /** STC10 and STC11: further category:status:entity composites, as sent. */
  additionalStatuses: string | null;
  serviceFromDate: string | null; // DTP*472 (D8, or RD8 start)
  serviceToDate: string | null; // DTP*472 (RD8 end)
  procedureCode: string | null; // SVC01-2 for service line statuses
  lineControlNumber: string | null; // REF*FJ for service line statuses
  /** QTY/AMT totals at receiver and provider levels: accepted (QTY*90, AMT*YU) and rejected (QTY*AA, AMT*YY). */
  acceptedQuantity: string | null;
  rejectedQuantity: string | null;
  acceptedAmountCents: bigint | null;
  rejectedAmountCents: bigint | null;
  /** A3, A6, A7, A8 reject the claim; A2 accepts it into adjudication; A1 acknowledges receipt. */
  isRejection: boolean;
  isAcceptance: boolean;
}

export interface Ack277Sink {
  claimStatus?(status: ClaimStatus): void;
}

/** A claim's outcome over all its claim-level STC segments. */
export interface Ack277Totals {
  claims: number;
  accepted: number;
  rejected: number;
}

export const REJECTION_CATEGORIES = new Set(['A3', 'A6', 'A7', 'A8']);
export const ACCEPTANCE_CATEGORIES = new Set(['A2']);

interface Level {
  level: StatusLevel;
  hlId: string | null;
  parentHlId: string | null;
  entityCode: string | null;
  entityName: string | null;
  entityIdQualifier: string | null;
  entityId: string | null;
  traceNumber: string | null;
  payerClaimControlNumber: string | null;
  clearinghouseTraceNumber: string | null;
  billType: string | null;
  serviceFromDate: string | null;
  serviceToDate: string | null;
  procedureCode: string | null;
  lineControlNumber: string | null;
  acceptedQuantity: string | null;
  rejectedQuantity: string | null;
  acceptedAmountCents: bigint | null;
  rejectedAmountCents: bigint | null;
  statuses: { elements: string[]; segmentNo: number; offset: number }[];
}

export class Ack277Parser implements TransactionParser {
  readonly totals: Ack277Totals = { claims: 0, accepted: 0, rejected: 0 };
  private current: Level | null = null;
  /** The claim level a service line hangs from (its names, trace and references carry over). */
  private claimLevel: Level | null = null;
  private claimOutcome: { rejected: boolean; accepted: boolean } | null = null;

  constructor(
    private readonly context: TransactionContext,
    private readonly sink: Ack277Sink,
  ) {}

  segment(s: Segment, segmentNo: number, offset: number): void {
    switch (s.id) {
      case 'HL':
        this.hierarchy(s);
        return;
      case 'NM1': {
        const level = this.current;
        if (!level) return;
        level.entityCode = s.el(1) || null;
        const last = s.el(3) ?? '';
        const first = s.el(4) ?? '';
        level.entityName = first ? `${last}, ${first}` : last || null;
        level.entityIdQualifier = s.el(8) || null;
        level.entityId = s.el(9) || null;
        return;
      }
      case 'TRN': {
        const level = this.current;
        if (!level) return;
        level.traceNumber = s.el(2) || null;
        if (level.level === 'claim') this.startClaim();
        return;
      }
      case 'STC':
        this.current?.statuses.push({ elements: s.elements(), segmentNo, offset });
        if (!this.current)
          this.context.issue(
            'warning',
            'x12.277.orphan_stc',
            'STC before any HL level; ignored',
            segmentNo,
            offset,
          );
        return;
      case 'REF': {
        const level = this.current;
        if (!level) return;
        const value = s.el(2) || null;
        if (s.el(1) === '1K') level.payerClaimControlNumber = value;
        else if (s.el(1) === 'D9') level.clearinghouseTraceNumber = value;
        else if (s.el(1) === 'BLT') level.billType = value;
        else if (s.el(1) === 'FJ') level.lineControlNumber = value;
        return;
      }
      case 'DTP': {
        const level = this.current;
        if (!level || s.el(1) !== '472') return;
        const range = dateRangeOrWarn(this.context, s.el(2), s.el(3), 'DTP03 (472)', segmentNo, offset);
        level.serviceFromDate = range.from;
        level.serviceToDate = range.to;
        return;
      }
      case 'QTY': {
        const level = this.current;
        if (!level) return;
        const qualifier = s.el(1);
        const accepted = qualifier === '90' || qualifier === 'QA';
        if (!accepted && qualifier !== 'AA' && qualifier !== 'QC') return;
        const quantity = quantityOrWarn(this.context, s.el(2), `QTY02 (${qualifier})`, segmentNo, offset);
        if (accepted) level.acceptedQuantity = quantity;
        else level.rejectedQuantity = quantity;
        return;
      }
      case 'AMT': {
        const level = this.current;
        if (!level) return;
        if (s.el(1) === 'YU')
          level.acceptedAmountCents = amountOrIssue(this.context, s.el(2), 'AMT02 (YU)', segmentNo, offset);
        else if (s.el(1) === 'YY')
          level.rejectedAmountCents = amountOrIssue(this.context, s.el(2), 'AMT02 (YY)', segmentNo, offset);
        return;
      }
      case 'SVC': {
        // 2220D service line: its own STC/REF/DTP follow; the claim's identity carries over.
        const claim = this.claimLevel;
        if (!claim) return;
        this.flushLevel();
        const parts = (s.el(1) ?? '').split(this.context.separators.component);
        this.current = {
          ...claim,
          level: 'service_line',
          statuses: [],
          procedureCode: parts[1] || null,
          lineControlNumber: null,
        };
        return;
      }
      default:
        return;
    }
  }

  end(): void {
    this.flushLevel();
    this.finishClaim();
  }

  private hierarchy(s: Segment): void {
    this.flushLevel();
    const code = s.el(3) ?? '';
    const level: StatusLevel =
      code === '20'
        ? 'information_source'
        : code === '21'
          ? 'information_receiver'
          : code === '19'
            ? 'provider'
            : 'claim';
    if (level !== 'claim') {
      this.finishClaim();
      this.claimLevel = null;
    }
    this.current = {
      level,
      hlId: s.el(1) || null,
      parentHlId: s.el(2) || null,
      entityCode: null,
      entityName: null,
      entityIdQualifier: null,
      entityId: null,
      traceNumber: null,
      payerClaimControlNumber: null,
      clearinghouseTraceNumber: null,
      billType: null,
      serviceFromDate: null,
      serviceToDate: null,
      procedureCode: null,
      lineControlNumber: null,
      acceptedQuantity: null,
      rejectedQuantity: null,
      acceptedAmountCents: null,
      rejectedAmountCents: null,
      statuses: [],
    };
  }

  /** A TRN at patient level opens a claim (2200D); an X212 subscriber level without TRN is not a claim. */
  private startClaim(): void {
    this.finishClaim();
    this.claimLevel = this.current;
    this.claimOutcome = { rejected: false, accepted: false };
    this.totals.claims++;
  }

  private finishClaim(): void {
    const outcome = this.claimOutcome;
    if (!outcome) return;
    this.claimOutcome = null;
    if (outcome.rejected) this.totals.rejected++;
    else if (outcome.accepted) this.totals.accepted++;
  }

  private flushLevel(): void {
    const level = this.current;
    if (!level) return;
    for (const status of level.statuses) this.emit(level, status.elements, status.segmentNo, status.offset);
    level.statuses = [];
    if (level.level === 'claim' && this.claimLevel === level) {
      // Keep the claim's identity (REF/DTP after STC) for service lines; statuses are already out.
      this.claimLevel = { ...level };
    }
  }

  private emit(level: Level, el: string[], segmentNo: number, offset: number): void {
    const composite = (el[1] ?? '').split(this.context.separators.component);
    const category = composite[0] ?? '';
    const isRejection = REJECTION_CATEGORIES.has(category);
    const isAcceptance = ACCEPTANCE_CATEGORIES.has(category);
    if (level.level === 'claim' && this.claimOutcome) {
      if (isRejection) this.claimOutcome.rejected = true;
      if (isAcceptance) this.claimOutcome.accepted = true;
    }
    const more = [el[10] ?? '', el[11] ?? ''].filter((value): value is string => !!value);
    const context = this.context;
    // The keys are listed rather than spread in (...transactionKeys): V8 builds a literal that starts with a
    // spread on a slow path, about 100 µs for this one, which made 277CA files ten times slower to parse.
    this.sink.claimStatus?.({
      interchangeControlNumber: context.interchangeControlNumber,
      groupControlNumber: context.groupControlNumber,
      transactionControlNumber: context.transactionControlNumber,
      version: context.version,
      segmentNo,
      offset,
      level: level.level,
      hlId: level.hlId,
      parentHlId: level.parentHlId,
      entityCode: level.entityCode,
      entityName: level.entityName,
      entityIdQualifier: level.entityIdQualifier,
      entityId: level.entityId,
      traceNumber: level.traceNumber,
      payerClaimControlNumber: level.payerClaimControlNumber,
      clearinghouseTraceNumber: level.clearinghouseTraceNumber,
      billType: level.billType,
      categoryCode: category,
      statusCode: composite[1] || null,
      entityIdentifierCode: composite[2] || null,
      statusDate: dateOrWarn(this.context, el[2], 'STC02', segmentNo, offset),
      actionCode: (el[3] ?? '') || null,
      chargeCents: amountOrIssue(this.context, el[4], 'STC04', segmentNo, offset),
      paidCents: amountOrIssue(this.context, el[5], 'STC05', segmentNo, offset),
      additionalStatuses: more.length > 0 ? more.join(' ') : null,
      serviceFromDate: level.serviceFromDate,
      serviceToDate: level.serviceToDate,
      procedureCode: level.procedureCode,
      lineControlNumber: level.lineControlNumber,
      acceptedQuantity: level.acceptedQuantity,
      rejectedQuantity: level.rejectedQuantity,
      acceptedAmountCents: level.acceptedAmountCents,
      rejectedAmountCents: level.rejectedAmountCents,
      isRejection,
      isAcceptance,
    });
  }
}
