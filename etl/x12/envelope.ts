import { shown, X12Error, type X12Issue } from './errors.ts';
import type { Separators } from './separators.ts';
import { type Segment, SegmentReader } from './tokenizer.ts';

/** What a transaction set parser knows about where it sits. */
export interface TransactionContext {
  file: string;
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionSetId: string;
  transactionControlNumber: string;
  /** ST03, else GS08 (the implementation guide), e.g. "005010X221A1". */
  version: string;
  segmentNo: number;
  offset: number;
  separators: Separators;
  issue(
    severity: X12Issue['severity'],
    code: string,
    message: string,
    segmentNo: number,
    offset: number,
    detail?: { expected: string; found: string },
  ): void;
}

/** The control numbers and version every record of a transaction set carries. */
export function transactionKeys(context: TransactionContext) {
  return {
    interchangeControlNumber: context.interchangeControlNumber,
    groupControlNumber: context.groupControlNumber,
    transactionControlNumber: context.transactionControlNumber,
    version: context.version,
  };
}

/** Consumes the segments between ST and SE of one transaction set. */
export interface TransactionParser {
  /** The segment is a reused view: read what you keep from it during the call. */
  segment(segment: Segment, segmentNo: number, offset: number): void;
  /** Called at SE (or at the end of the file when SE is missing). */
  end(segmentNo: number, offset: number): void;
}

/** Chooses the parser of a transaction set; null to count the set without parsing its content. */
export type TransactionParserFactory = (
  context: TransactionContext,
  kind: TransactionKind,
) => TransactionParser | null;

/** The transaction set kinds the engine reads, or "other" (recognised, counted, not parsed). */
export type TransactionKind = '835' | '837P' | '277CA' | '277' | '999' | 'other';

export interface EnvelopeSummary {
  interchanges: number;
  groups: number;
  transactions: number;
  /** ST01 (+ "CA" for a 005010X214 277) of each transaction set, counted. */
  transactionTypes: Map<string, number>;
  versions: Set<string>;
  /** Type of the first transaction set: "835", "837P", "277CA", "277", "999", or its ST01. */
  firstType: string | null;
  firstVersion: string | null;
}

const MAX_STORED_ISSUES = 10_000;

/**
 * Reads the envelope (ISA/IEA, GS/GE, ST/SE) around the transaction sets of a file, WEDI SNIP level 1–2 style:
 * trailer counts and control numbers are checked, versions recognised, and every transaction set's segments are
 * handed to the parser the factory picks. Count and control-number mismatches are warnings (public payer files
 * get them wrong); a missing trailer, a segment outside any transaction set or an unsupported version is an
 * error, reported without stopping so every problem of the file is listed.
 */
export class EnvelopeReader {
  readonly issues: X12Issue[] = [];
  readonly summary: EnvelopeSummary = {
    interchanges: 0,
    groups: 0,
    transactions: 0,
    transactionTypes: new Map(),
    versions: new Set(),
    firstType: null,
    firstVersion: null,
  };
  readonly reader: SegmentReader;
  private droppedIssues = 0;

  private isa: { control: string; segmentNo: number; offset: number; groups: number } | null = null;
  private gs: {
    control: string;
    version: string;
    segmentNo: number;
    offset: number;
    transactions: number;
  } | null = null;
  private st: {
    id: string;
    control: string;
    segmentNo: number;
    offset: number;
    segments: number;
    kind: TransactionKind | null;
    parser: TransactionParser | null;
  } | null = null;

  constructor(
    private readonly file: string,
    private readonly factory: TransactionParserFactory,
  ) {
    this.reader = new SegmentReader(
      file,
      (segment, segmentNo, offset) => this.segment(segment, segmentNo, offset),
      {
        onIssue: (issue) => this.record(issue),
      },
    );
  }

  push(chunk: Uint8Array | string): void {
    this.reader.push(chunk);
  }

  end(): void {
    this.reader.end();
    const segmentNo = this.reader.segmentCount;
    if (this.st) {
      this.issue(
        'error',
        'x12.missing_se',
        `file ends inside transaction set ${shown(this.st.control)}: expected SE`,
        this.st.segmentNo,
        this.st.offset,
      );
      this.closeTransaction(segmentNo, 0);
    }
    if (this.gs) {
      this.issue(
        'error',
        'x12.missing_ge',
        `file ends inside functional group ${shown(this.gs.control)}: expected GE`,
        this.gs.segmentNo,
        this.gs.offset,
      );
      this.gs = null;
    }
    if (this.isa) {
      this.issue(
        'error',
        'x12.missing_iea',
        `file ends inside interchange ${shown(this.isa.control)}: expected IEA`,
        this.isa.segmentNo,
        this.isa.offset,
      );
      this.isa = null;
    }
    if (segmentNo === 0) {
      throw new X12Error({
        file: this.file,
        segmentNo: 0,
        offset: 0,
        expected: 'an X12 interchange (ISA) or transaction set (ST)',
        found: 'an empty file',
      });
    }
    if (this.summary.transactions === 0) {
      this.issue('error', 'x12.no_transactions', 'file holds no transaction set (ST…SE)', 0, 0);
    }
    if (this.droppedIssues > 0) {
      this.issues.push({
        severity: 'warning',
        code: 'x12.more_issues',
        message: `${this.droppedIssues} more issues not listed`,
        segmentNo: 0,
        offset: 0,
      });
    }
  }

  get errorCount(): number {
    return this.issues.filter((issue) => issue.severity === 'error').length;
  }

  issue(
    severity: X12Issue['severity'],
    code: string,
    message: string,
    segmentNo: number,
    offset: number,
    detail?: { expected: string; found: string },
  ): void {
    // Envelope messages read "what was found: expected what"; split them for the quarantine report.
    const split = severity === 'error' && !detail ? /^(.*): expected (.*)$/.exec(message) : null;
    const derived = split ? { found: split[1] as string, expected: split[2] as string } : detail;
    this.record({ severity, code, message, segmentNo, offset, ...derived });
  }

  /** Issues are kept up to MAX_STORED_ISSUES (the rest counted), but the first error always: it decides the load. */
  private record(issue: X12Issue): void {
    const firstError = issue.severity === 'error' && !this.hasError;
    if (issue.severity === 'error') this.hasError = true;
    if (this.issues.length < MAX_STORED_ISSUES || firstError) this.issues.push(issue);
    else this.droppedIssues++;
  }

  private hasError = false;

  private segment(segment: Segment, segmentNo: number, offset: number): void {
    const id = segment.id;
    if (this.st !== null && !isEnvelopeId(id)) {
      this.st.segments++;
      this.st.parser?.segment(segment, segmentNo, offset);
      return;
    }
    const elements = segment.elements();
    switch (id) {
      case 'ISA':
        this.openInterchange(elements, segmentNo, offset);
        return;
      case 'GS':
        this.openGroup(elements, segmentNo, offset);
        return;
      case 'ST':
        this.openTransaction(elements, segmentNo, offset);
        return;
      case 'SE':
        this.closeSe(elements, segmentNo, offset);
        return;
      case 'GE':
        this.closeGroup(elements, segmentNo, offset);
        return;
      case 'IEA':
        this.closeInterchange(elements, segmentNo, offset);
        return;
      case 'TA1':
        return;
      default:
        if (!/^[A-Z][A-Z0-9]{1,2}$/.test(id)) {
          throw new X12Error({
            file: this.file,
            segmentNo,
            offset,
            expected: 'a segment identifier (2–3 letters or digits)',
            found: shown(id),
          });
        }
        this.issue(
          'error',
          'x12.outside_transaction',
          `segment ${id} outside a transaction set: expected ST`,
          segmentNo,
          offset,
        );
    }
  }

  private openInterchange(elements: string[], segmentNo: number, offset: number): void {
    this.endOpenTransaction('ISA', segmentNo, offset);
    this.endOpenGroup('ISA', segmentNo, offset);
    if (this.isa) {
      this.issue(
        'error',
        'x12.missing_iea',
        `ISA inside interchange ${shown(this.isa.control)}: expected IEA`,
        segmentNo,
        offset,
      );
    }
    if (elements.length < 17) {
      throw new X12Error({
        file: this.file,
        segmentNo,
        offset,
        expected: 'an ISA segment with 16 elements',
        found: `${elements.length - 1} elements`,
      });
    }
    const control = (elements[13] as string).trim();
    const version = (elements[12] as string).trim();
    if (version !== '00501' && version !== '00401') {
      this.issue(
        'warning',
        'x12.isa_version',
        `ISA12 interchange version ${shown(version)} is neither 00501 nor 00401`,
        segmentNo,
        offset,
      );
    }
    this.isa = { control, segmentNo, offset, groups: 0 };
    this.summary.interchanges++;
  }

  private openGroup(elements: string[], segmentNo: number, offset: number): void {
    this.endOpenTransaction('GS', segmentNo, offset);
    this.endOpenGroup('GS', segmentNo, offset);
    if (this.isa) this.isa.groups++;
    this.gs = { control: elements[6] ?? '', version: elements[8] ?? '', segmentNo, offset, transactions: 0 };
    this.summary.groups++;
  }

  private openTransaction(elements: string[], segmentNo: number, offset: number): void {
    this.endOpenTransaction('ST', segmentNo, offset);
    const id = elements[1] ?? '';
    const control = elements[2] ?? '';
    const version = elements[3] || this.gs?.version || '';
    if (this.gs) this.gs.transactions++;
    this.summary.transactions++;
    const kind = this.classify(id, version, segmentNo, offset);
    const typeName = kind === 'other' || kind === null ? id : kind;
    this.summary.transactionTypes.set(typeName, (this.summary.transactionTypes.get(typeName) ?? 0) + 1);
    if (version) this.summary.versions.add(version);
    if (this.summary.firstType === null) {
      this.summary.firstType = typeName;
      this.summary.firstVersion = version || null;
    } else if (this.summary.firstType !== typeName) {
      this.issue(
        'warning',
        'x12.mixed_types',
        `transaction set ${typeName} in a file whose first set is ${this.summary.firstType}`,
        segmentNo,
        offset,
      );
    }
    const separators = this.reader.separators as Separators;
    const context: TransactionContext = {
      file: this.file,
      interchangeControlNumber: this.isa?.control ?? null,
      groupControlNumber: this.gs?.control ?? null,
      transactionSetId: id,
      transactionControlNumber: control,
      version,
      segmentNo,
      offset,
      separators,
      issue: (severity, code, message, no, off, detail) =>
        this.issue(severity, code, message, no, off, detail),
    };
    const parser = kind === 'other' || kind === null ? null : this.factory(context, kind);
    this.st = { id, control, segmentNo, offset, segments: 1, kind, parser };
  }

  /** Recognises the transaction set and its implementation guide; null when the version is unsupported. */
  private classify(id: string, version: string, segmentNo: number, offset: number): TransactionKind | null {
    const unsupported = (expected: string) => {
      this.issue(
        'error',
        'x12.unsupported_version',
        `transaction set ${id} version ${shown(version)} is not supported: expected ${expected} (004010 files must be converted to 005010 first)`,
        segmentNo,
        offset,
      );
      return null;
    };
    const unexpected = (expected: string) =>
      this.issue(
        'warning',
        'x12.unexpected_version',
        `transaction set ${id} version ${shown(version)} is not ${expected}; read as ${expected}`,
        segmentNo,
        offset,
      );
    switch (id) {
      case '835':
        if (version.startsWith('004010')) return unsupported('005010X221A1');
        if (version !== '005010X221A1') unexpected('005010X221A1');
        return '835';
      case '277':
        if (version.startsWith('004010')) return unsupported('005010X214');
        if (version === '005010X212') return '277';
        if (version !== '005010X214') unexpected('005010X214');
        return '277CA';
      case '999':
        if (version !== '005010X231A1' && version !== '005010X231') unexpected('005010X231A1');
        return '999';
      case '837':
        // Only the professional guide: institutional (X223) and dental (X224) claims have other loops.
        if (!version.includes('X222')) return unsupported('005010X222A1 (837P, professional)');
        if (version.startsWith('004010')) return unsupported('005010X222A1');
        if (version !== '005010X222A1') unexpected('005010X222A1');
        return '837P';
      default:
        if (!/^\d{3}$/.test(id)) {
          this.issue(
            'error',
            'x12.bad_st01',
            `ST01 ${shown(id)} is not a transaction set identifier`,
            segmentNo,
            offset,
          );
        } else {
          this.issue(
            'warning',
            'x12.not_parsed',
            `transaction set ${id} (${version || 'no version'}) is counted but not parsed`,
            segmentNo,
            offset,
          );
        }
        return 'other';
    }
  }

  private closeSe(elements: string[], segmentNo: number, offset: number): void {
    if (!this.st) {
      this.issue('error', 'x12.unexpected_se', 'SE without a matching ST', segmentNo, offset);
      return;
    }
    const count = this.st.segments + 1;
    const stated = elements[1] ?? '';
    if (stated !== String(count) && Number(stated) !== count) {
      // Payers' 835s often miscount and are kept with a warning; an 837P is the practice's own claim batch, where
      // a wrong count means segments were lost or added on the way: it is refused.
      const refused = this.st.kind === '837P';
      this.issue(
        refused ? 'error' : 'warning',
        'x12.se_count',
        `SE01 says ${shown(stated)} segments, transaction set ${shown(this.st.control)} has ${count}`,
        segmentNo,
        offset,
        refused ? { expected: `SE01 = ${count}`, found: `SE01 ${shown(stated)}` } : undefined,
      );
    }
    if ((elements[2] ?? '') !== this.st.control) {
      this.issue(
        'warning',
        'x12.se_control',
        `SE02 ${shown(elements[2] ?? '')} does not match ST02 ${shown(this.st.control)}`,
        segmentNo,
        offset,
      );
    }
    this.closeTransaction(segmentNo, offset);
  }

  /** A segment that opens or closes an outer level ends a transaction set still open: its SE is missing. */
  private endOpenTransaction(segmentId: string, segmentNo: number, offset: number): void {
    if (!this.st) return;
    this.issue(
      'error',
      'x12.missing_se',
      `${segmentId} inside transaction set ${shown(this.st.control)}: expected SE`,
      segmentNo,
      offset,
    );
    this.closeTransaction(segmentNo, offset);
  }

  /** Likewise for a functional group still open: its GE is missing. */
  private endOpenGroup(segmentId: string, segmentNo: number, offset: number): void {
    if (!this.gs) return;
    this.issue(
      'error',
      'x12.missing_ge',
      `${segmentId} inside functional group ${shown(this.gs.control)}: expected GE`,
      segmentNo,
      offset,
    );
    this.gs = null;
  }

  private closeTransaction(segmentNo: number, offset: number): void {
    const st = this.st;
    this.st = null;
    st?.parser?.end(segmentNo, offset);
  }

  private closeGroup(elements: string[], segmentNo: number, offset: number): void {
    this.endOpenTransaction('GE', segmentNo, offset);
    if (!this.gs) {
      this.issue('error', 'x12.unexpected_ge', 'GE without a matching GS', segmentNo, offset);
      return;
    }
    const stated = elements[1] ?? '';
    if (Number(stated) !== this.gs.transactions) {
      this.issue(
        'warning',
        'x12.ge_count',
        `GE01 says ${shown(stated)} transaction sets, group has ${this.gs.transactions}`,
        segmentNo,
        offset,
      );
    }
    if ((elements[2] ?? '') !== this.gs.control && Number(elements[2]) !== Number(this.gs.control)) {
      this.issue(
        'warning',
        'x12.ge_control',
        `GE02 ${shown(elements[2] ?? '')} does not match GS06 ${shown(this.gs.control)}`,
        segmentNo,
        offset,
      );
    }
    this.gs = null;
  }

  private closeInterchange(elements: string[], segmentNo: number, offset: number): void {
    this.endOpenTransaction('IEA', segmentNo, offset);
    this.endOpenGroup('IEA', segmentNo, offset);
    if (!this.isa) {
      this.issue('error', 'x12.unexpected_iea', 'IEA without a matching ISA', segmentNo, offset);
      return;
    }
    const stated = elements[1] ?? '';
    if (Number(stated) !== this.isa.groups) {
      this.issue(
        'warning',
        'x12.iea_count',
        `IEA01 says ${shown(stated)} functional groups, interchange has ${this.isa.groups}`,
        segmentNo,
        offset,
      );
    }
    const control = (elements[2] ?? '').trim();
    if (control !== this.isa.control) {
      this.issue(
        'warning',
        'x12.iea_control',
        `IEA02 ${shown(control)} does not match ISA13 ${shown(this.isa.control)}`,
        segmentNo,
        offset,
      );
    }
    this.isa = null;
  }
}

/** ISA, IEA, GS, GE, ST, SE: checked by first letter first, as nearly every segment is none of them. */
function isEnvelopeId(id: string): boolean {
  const first = id.charCodeAt(0);
  if (first !== 83 /* S */ && first !== 71 /* G */ && first !== 73 /* I */) return false;
  return id === 'SE' || id === 'ST' || id === 'GE' || id === 'GS' || id === 'IEA' || id === 'ISA';
}
