import { type TransactionContext, type TransactionParser, transactionKeys } from './envelope.ts';
import type { Segment } from './tokenizer.ts';

/**
 * 999 (005010X231A1) implementation acknowledgment: one record per acknowledged transaction set (AK2…IK5),
 * one per acknowledged functional group (AK1…AK9), and one per error (IK3 segment errors, IK4 element errors).
 */

export interface AckKeys {
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionControlNumber: string;
  version: string;
}

export interface AckTransactionSet extends AckKeys {
  segmentNo: number; // AK2
  offset: number;
  /** AK1: the acknowledged group's functional id (HC = 837), control number and version. */
  ackGroupFunctionalId: string | null;
  ackGroupControlNumber: string | null;
  ackGroupVersion: string | null;
  ackTransactionSetId: string | null; // AK201 (e.g. 837)
  ackTransactionControlNumber: string | null; // AK202 = the 837's ST02
  ackTransactionVersion: string | null; // AK203
  /** IK501: A accepted, E accepted with errors, M/R/W/X rejected. */
  ackCode: string | null;
  syntaxErrorCodes: string | null; // IK502–IK506, space separated
  errorCount: number;
  accepted: boolean;
  rejected: boolean;
}

export interface AckGroup extends AckKeys {
  segmentNo: number; // AK9
  offset: number;
  ackGroupFunctionalId: string | null;
  ackGroupControlNumber: string | null;
  ackGroupVersion: string | null;
  /** AK901: A accepted, E accepted with errors, P partially accepted, M/R/W/X rejected. */
  ackCode: string | null;
  transactionSetsIncluded: number | null; // AK902
  transactionSetsReceived: number | null; // AK903
  transactionSetsAccepted: number | null; // AK904
  syntaxErrorCodes: string | null; // AK905–AK909
}

export interface AckError extends AckKeys {
  segmentNo: number; // IK3 or IK4
  offset: number;
  /** The AK2 segment this error belongs to. */
  transactionSetSegmentNo: number | null;
  ackTransactionControlNumber: string | null;
  kind: 'segment' | 'element';
  /** IK301: the segment id in error (IK3), or of the last IK3 for an element error. */
  segmentId: string | null;
  segmentPosition: string | null; // IK302: position in the acknowledged transaction set
  loopId: string | null; // IK303
  /** IK304 (segment syntax error) or IK403 (element syntax error). */
  errorCode: string | null;
  elementPosition: string | null; // IK401 (composite: position:component:repetition)
  elementReference: string | null; // IK402
  badValue: string | null; // IK404
  /** CTX segments after the IK3/IK4, as sent. */
  context: string | null;
}

export interface Ack999Sink {
  ackTransactionSet?(set: AckTransactionSet): void;
  ackGroup?(group: AckGroup): void;
  ackError?(error: AckError): void;
}

export interface Ack999Totals {
  transactionSets: number;
  accepted: number;
  rejected: number;
}

const ACCEPTED = new Set(['A', 'E']);
const REJECTED = new Set(['R', 'M', 'W', 'X']);

export class Ack999Parser implements TransactionParser {
  readonly totals: Ack999Totals = { transactionSets: 0, accepted: 0, rejected: 0 };
  private ak1: string[] | null = null;
  private set: AckTransactionSet | null = null;
  private lastSegmentError: AckError | null = null;
  private pendingErrors: AckError[] = [];

  constructor(
    private readonly context: TransactionContext,
    private readonly sink: Ack999Sink,
  ) {}

  /**
   * Spread last in each record: V8 builds a literal that starts with a spread on a slow path (tens of µs a
   * record, most of a small 999's parse).
   */
  private get keys(): AckKeys {
    return transactionKeys(this.context);
  }

  segment(s: Segment, segmentNo: number, offset: number): void {
    switch (s.id) {
      case 'AK1':
        this.ak1 = s.elements();
        return;
      case 'AK2':
        this.closeSet();
        this.set = {
          segmentNo,
          offset,
          ackGroupFunctionalId: this.ak1?.[1] || null,
          ackGroupControlNumber: this.ak1?.[2] || null,
          ackGroupVersion: this.ak1?.[3] || null,
          ackTransactionSetId: s.el(1) || null,
          ackTransactionControlNumber: s.el(2) || null,
          ackTransactionVersion: s.el(3) || null,
          ackCode: null,
          syntaxErrorCodes: null,
          errorCount: 0,
          accepted: false,
          rejected: false,
          ...this.keys,
        };
        return;
      case 'IK3': {
        const error: AckError = {
          segmentNo,
          offset,
          transactionSetSegmentNo: this.set?.segmentNo ?? null,
          ackTransactionControlNumber: this.set?.ackTransactionControlNumber ?? null,
          kind: 'segment',
          segmentId: s.el(1) || null,
          segmentPosition: s.el(2) || null,
          loopId: s.el(3) || null,
          errorCode: s.el(4) || null,
          elementPosition: null,
          elementReference: null,
          badValue: null,
          context: null,
          ...this.keys,
        };
        this.lastSegmentError = error;
        this.pendingErrors.push(error);
        return;
      }
      case 'IK4': {
        const parent = this.lastSegmentError;
        this.pendingErrors.push({
          segmentNo,
          offset,
          transactionSetSegmentNo: this.set?.segmentNo ?? null,
          ackTransactionControlNumber: this.set?.ackTransactionControlNumber ?? null,
          kind: 'element',
          segmentId: parent?.segmentId ?? null,
          segmentPosition: parent?.segmentPosition ?? null,
          loopId: parent?.loopId ?? null,
          errorCode: s.el(3) || null,
          elementPosition: s.el(1) || null,
          elementReference: s.el(2) || null,
          badValue: s.el(4) || null,
          context: null,
          ...this.keys,
        });
        return;
      }
      case 'CTX': {
        const last = this.pendingErrors[this.pendingErrors.length - 1];
        if (last) {
          const text = s.elements().slice(1).join(this.context.separators.element);
          last.context = last.context ? `${last.context} | ${text}` : text;
        }
        return;
      }
      case 'IK5': {
        const set = this.set;
        if (!set) {
          this.context.issue('warning', 'x12.999.orphan_ik5', 'IK5 without AK2; ignored', segmentNo, offset);
          return;
        }
        const code = s.el(1) || null;
        set.ackCode = code;
        const errors = s
          .elements()
          .slice(2)
          .filter((value) => value !== '');
        set.syntaxErrorCodes = errors.length > 0 ? errors.join(' ') : null;
        set.accepted = code !== null && ACCEPTED.has(code);
        set.rejected = code !== null && REJECTED.has(code);
        this.closeSet();
        return;
      }
      case 'AK9': {
        this.closeSet();
        const errors = s
          .elements()
          .slice(5)
          .filter((value) => value !== '');
        this.sink.ackGroup?.({
          segmentNo,
          offset,
          ackGroupFunctionalId: this.ak1?.[1] || null,
          ackGroupControlNumber: this.ak1?.[2] || null,
          ackGroupVersion: this.ak1?.[3] || null,
          ackCode: s.el(1) || null,
          transactionSetsIncluded: integer(s.el(2)),
          transactionSetsReceived: integer(s.el(3)),
          transactionSetsAccepted: integer(s.el(4)),
          syntaxErrorCodes: errors.length > 0 ? errors.join(' ') : null,
          ...this.keys,
        });
        return;
      }
      default:
        return;
    }
  }

  end(): void {
    this.closeSet();
  }

  private closeSet(): void {
    const set = this.set;
    const errors = this.pendingErrors;
    this.pendingErrors = [];
    this.lastSegmentError = null;
    if (!set) {
      for (const error of errors) this.sink.ackError?.(error);
      return;
    }
    this.set = null;
    set.errorCount = errors.length;
    this.totals.transactionSets++;
    if (set.accepted) this.totals.accepted++;
    if (set.rejected) this.totals.rejected++;
    this.sink.ackTransactionSet?.(set);
    for (const error of errors) this.sink.ackError?.(error);
  }
}

function integer(text: string | undefined): number | null {
  if (!text || !/^\d{1,9}$/.test(text)) return null;
  return Number(text);
}
