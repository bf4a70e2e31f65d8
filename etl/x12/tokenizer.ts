import { isAscii } from 'node:buffer';
import { shown, X12Error, type X12Issue } from './errors.ts';

/** The four delimiters of an interchange, read from its ISA segment (or the defaults for a bare ST file). */
export interface Separators {
  element: string;
  component: string;
  /** ISA11 when it is a delimiter (005010); null when ISA11 is a code such as "U" (004010). */
  repetition: string | null;
  segment: string;
}

export const DEFAULT_SEPARATORS: Separators = { element: '*', component: ':', repetition: '^', segment: '~' };

/**
 * One segment, as a view on the text it was read from: element i (0 = the segment id, 1 = XX01) is read with
 * `el(i)`, amounts and dates without making strings first. The reader reuses one Segment for every segment, so
 * a handler must copy what it keeps (strings from `el` are copies) and never keep the Segment itself.
 */
export class Segment {
  /** The segment id (elements[0]). */
  id = '';
  /** Number of elements, the id included. */
  count = 0;
  private text = '';
  private starts = new Int32Array(64);
  private scanText = '';
  private scanSeparator = '';
  private scanNext = -1;
  private ends = new Int32Array(64);

  /** Element i as a string; '' when absent or empty. */
  el(i: number): string {
    if (i >= this.count) return '';
    const start = this.starts[i] as number;
    const end = this.ends[i] as number;
    return start === end ? '' : this.text.slice(start, end);
  }

  /** Length of element i (0 when absent). */
  size(i: number): number {
    return i < this.count ? (this.ends[i] as number) - (this.starts[i] as number) : 0;
  }

  /** Whether element i equals value, without making a string. */
  is(i: number, value: string): boolean {
    if (i >= this.count) return value === '';
    const start = this.starts[i] as number;
    return (this.ends[i] as number) - start === value.length && this.text.startsWith(value, start);
  }

  /** The components of element i, split on the component separator; [] when the element is absent. */
  components(i: number, separator: string): string[] {
    if (i >= this.count) return [];
    // A bounded character loop, not indexOf: a separator absent from the rest of the chunk must not be searched
    // for to its end on every call.
    const text = this.text;
    const end = this.ends[i] as number;
    const code = separator.charCodeAt(0);
    let cursor = this.starts[i] as number;
    const parts: string[] = [];
    for (let k = cursor; k < end; k++) {
      if (text.charCodeAt(k) === code) {
        parts.push(text.slice(cursor, k));
        cursor = k + 1;
      }
    }
    parts.push(text.slice(cursor, end));
    return parts;
  }

  /** Every element as a string (elements[0] is the id). */
  elements(): string[] {
    const out = new Array<string>(this.count);
    for (let i = 0; i < this.count; i++) out[i] = this.el(i);
    return out;
  }

  /**
   * Element i as exact integer cents: null when absent or empty, undefined when it is not a decimal amount
   * (callers then read el(i) to report it). Digits are accumulated as an integer, never a fraction.
   */
  cents(i: number): bigint | null | undefined {
    if (i >= this.count) return null;
    const text = this.text;
    let index = this.starts[i] as number;
    const end = this.ends[i] as number;
    if (index === end) return null;
    let negative = false;
    const first = text.charCodeAt(index);
    if (first === 45 || first === 43) {
      negative = first === 45;
      index++;
    }
    let whole = 0;
    let wholeDigits = 0;
    let fraction = 0;
    let fractionDigits = 0;
    let point = false;
    for (; index < end; index++) {
      const code = text.charCodeAt(index);
      if (code >= 48 && code <= 57) {
        if (point) {
          if (fractionDigits < 2) fraction = fraction * 10 + (code - 48);
          else if (code !== 48) return undefined;
          fractionDigits++;
        } else {
          whole = whole * 10 + (code - 48);
          wholeDigits++;
        }
      } else if (code === 46 && !point) {
        point = true;
      } else {
        return undefined;
      }
    }
    if (wholeDigits === 0 && fractionDigits === 0) return undefined;
    if (wholeDigits > 13) return undefined;
    if (fractionDigits === 1) fraction *= 10;
    const cents = BigInt(whole * 100 + fraction);
    return negative ? -cents : cents;
  }

  /** @internal Points the view at text[start, end) split on the element separator. */
  set(text: string, start: number, end: number, separator: string): void {
    this.text = text;
    let count = 0;
    let cursor = start;
    for (;;) {
      if (count === this.starts.length) this.grow();
      // The next separator found past this segment is remembered, so a stretch of text without separators is
      // searched once per chunk, not once per segment.
      if (text !== this.scanText || separator !== this.scanSeparator || this.scanNext < cursor) {
        const found = text.indexOf(separator, cursor);
        this.scanText = text;
        this.scanSeparator = separator;
        this.scanNext = found === -1 ? text.length : found;
      }
      let next = this.scanNext;
      if (next > end) next = end;
      this.starts[count] = cursor;
      this.ends[count] = next;
      count++;
      if (next === end) break;
      cursor = next + 1;
    }
    this.count = count;
    this.id = segmentId(text, this.starts[0] as number, this.ends[0] as number);
  }

  private grow(): void {
    const starts = new Int32Array(this.starts.length * 2);
    const ends = new Int32Array(this.ends.length * 2);
    starts.set(this.starts);
    ends.set(this.ends);
    this.starts = starts;
    this.ends = ends;
  }
}

/** Receives each segment (a reused view), its 1-based number among the file's segments and its byte offset. */
export type SegmentHandler = (segment: Segment, segmentNo: number, offset: number) => void;

export interface SegmentReaderOptions {
  /** A segment longer than this is an error (a wrong terminator, or not X12): memory stays bounded. */
  maxSegmentLength?: number;
  onIssue?: (issue: X12Issue) => void;
}

const STANDARD_ISA_LENGTH = 106;
const ISA_ELEMENT_COUNT = 16;
/** The longest ISA accepted while looking for its 16 element separators (a padded ISA is 106 bytes). */
const MAX_ISA_SCAN = 256;
/** How much text a bare-ST file may show before its terminator must be decided. */
const TERMINATOR_SNIFF = 64 * 1024;

const UTF8_BOM = '\u00EF\u00BB\u00BF';

/**
 * Streaming X12 tokenizer. Push chunks of bytes as they are read; each complete segment is handed to the
 * handler at once and only the unfinished tail of a chunk is kept, so memory stays bounded by the chunk size
 * plus one segment.
 *
 * Bytes are decoded as latin1, so string indexes are byte offsets; element values are re-decoded as UTF-8 by
 * the caller only where needed. Separators come from each ISA (a file may hold several interchanges with
 * different ones). Whitespace (CR, LF, space, tab) between segments and empty segments are skipped; CR/LF
 * inside a segment (hard-wrapped files) is removed; a file starting at ST without an envelope uses `*`, `:`,
 * `^` and `~` (or a newline terminator when the text has no `~`).
 */
export class SegmentReader {
  separators: Separators | null = null;
  /** Segments emitted so far; the number of the last one. */
  segmentCount = 0;

  private carry = '';
  private carryOffset = 0;
  private readonly maxSegmentLength: number;
  private readonly onIssue: (issue: X12Issue) => void;
  private terminatorIsNewline = false;
  private ended = false;
  private readonly view = new Segment();
  /** Whether the buffered text may hold bytes above 0x7F (then segments are checked for UTF-8). */
  private highBytes = false;

  constructor(
    private readonly file: string,
    private readonly onSegment: SegmentHandler,
    options: SegmentReaderOptions = {},
  ) {
    this.maxSegmentLength = options.maxSegmentLength ?? 64 * 1024;
    this.onIssue = options.onIssue ?? (() => {});
  }

  /** Feeds the next chunk of the file. */
  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('SegmentReader: push after end');
    const text =
      typeof chunk === 'string'
        ? chunk
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength).toString('latin1');
    const high = typeof chunk === 'string' ? NON_ASCII.test(chunk) : !isAscii(chunk);
    this.highBytes = (this.carry.length > 0 && this.highBytes) || high;
    this.carry = this.carry.length === 0 ? text : flatten(this.carry + text);
    this.drain(false);
  }

  /** Signals the end of the file: the last segment may lack its terminator. */
  end(): void {
    if (this.ended) return;
    this.drain(true);
    this.ended = true;
  }

  private drain(final: boolean): void {
    const text = this.carry;
    const length = text.length;
    let pos = 0;
    if (this.carryOffset === 0 && text.startsWith(UTF8_BOM)) pos = UTF8_BOM.length;
    const hasLineBreaks =
      !this.terminatorIsNewline && (text.indexOf('\n') !== -1 || text.indexOf('\r') !== -1);
    const hasHighBytes = this.highBytes;
    let nextLineFeed = -1;
    let nextCarriageReturn = -1;

    while (pos < length) {
      const code = text.charCodeAt(pos);
      // Whitespace between segments, and empty segments, are skipped.
      if (code === 10 || code === 13 || code === 32 || code === 9) {
        pos++;
        continue;
      }
      let sep = this.separators;
      if (sep !== null && code === sep.segment.charCodeAt(0)) {
        pos++;
        continue;
      }
      // A segment start needs 4 characters to tell an ISA (or a bare ST) from anything else.
      if (!final && length - pos < 4) break;
      if (code === 73 /* I */ && isIsaAt(text, pos)) {
        const header = this.readIsaHeader(text, pos, final);
        if (header === null) break;
        sep = header;
      } else if (sep === null) {
        const bare = this.bareSeparators(text, pos, final);
        if (bare === null) break;
        sep = bare;
      }
      let end = text.indexOf(sep.segment, pos);
      if (end === -1) {
        if (!final) {
          if (length - pos > this.maxSegmentLength) this.tooLong(text, pos);
          break;
        }
        end = length;
        const tail = text.slice(pos).trimEnd();
        if (tail.length === 0) {
          pos = length;
          break;
        }
        this.onIssue({
          severity: 'warning',
          code: 'x12.missing_terminator',
          message: `last segment ${shown(tail.slice(0, 3))} has no segment terminator ${shown(sep.segment)}`,
          segmentNo: this.segmentCount + 1,
          offset: this.carryOffset + pos,
        });
      }
      if (end - pos > this.maxSegmentLength) this.tooLong(text, pos);
      const offset = this.carryOffset + pos;
      let segmentText = text;
      let start = pos;
      let stop = end;
      if (this.terminatorIsNewline) {
        if (stop > start && text.charCodeAt(stop - 1) === 13) stop--;
      } else if (hasLineBreaks) {
        // Next CR / LF positions are kept as cursors so the search stays linear over the chunk.
        if (nextLineFeed < start) nextLineFeed = indexOrEnd(text, '\n', start);
        if (nextCarriageReturn < start) nextCarriageReturn = indexOrEnd(text, '\r', start);
        if (nextLineFeed < stop || nextCarriageReturn < stop) {
          segmentText = text.slice(start, stop).replace(/[\r\n]/g, '');
          start = 0;
          stop = segmentText.length;
        }
      }
      pos = end + 1;
      if (stop === start) continue;
      if (hasHighBytes) {
        const raw = segmentText === text ? text.slice(start, stop) : segmentText;
        if (NON_ASCII.test(raw)) {
          segmentText = decodeUtf8IfValid(raw);
          start = 0;
          stop = segmentText.length;
        }
      }
      this.segmentCount++;
      this.view.set(segmentText, start, stop, sep.element);
      this.onSegment(this.view, this.segmentCount, offset);
    }
    this.carry = pos >= length ? '' : text.slice(pos);
    this.carryOffset += pos;
  }

  /** Reads the separators of the ISA at pos; null when more input is needed. */
  private readIsaHeader(text: string, pos: number, final: boolean): Separators | null {
    const element = text.charAt(pos + 3);
    let cursor = pos + 3;
    let found = 1;
    while (found < ISA_ELEMENT_COUNT) {
      const next = text.indexOf(element, cursor + 1);
      if (next === -1 || next - pos > MAX_ISA_SCAN) {
        if (next === -1 && !final && text.length - pos < MAX_ISA_SCAN) return null;
        throw this.error(pos, 'an ISA segment with 16 elements', shown(text.slice(pos, pos + 120)));
      }
      cursor = next;
      found++;
    }
    // cursor is the separator before ISA16; ISA16 is one character, the segment terminator follows it.
    if (cursor + 2 >= text.length) {
      if (!final) return null;
      throw this.error(pos, 'ISA16 and a segment terminator', 'end of file');
    }
    const component = text.charAt(cursor + 1);
    const segment = text.charAt(cursor + 2);
    const isaLength = cursor + 3 - pos;
    const repetitionStart = nthIndexOf(text, element, pos, 11);
    const isa11 = text.charAt(repetitionStart + 1);
    const repetition = /[A-Za-z0-9 ]/.test(isa11) ? null : isa11;
    const delimiters = [element, component, segment];
    if (
      isAlphanumeric(element) ||
      isAlphanumeric(component) ||
      isAlphanumeric(segment) ||
      new Set(delimiters).size !== 3
    ) {
      throw this.error(
        pos,
        'distinct, non-alphanumeric element, component and segment separators in the ISA',
        `element ${shown(element)}, component ${shown(component)}, segment ${shown(segment)}`,
      );
    }
    if (isaLength !== STANDARD_ISA_LENGTH) {
      this.onIssue({
        severity: 'warning',
        code: 'x12.isa_length',
        message: `ISA is ${isaLength} bytes long, not ${STANDARD_ISA_LENGTH}; separators were read from its elements`,
        segmentNo: this.segmentCount + 1,
        offset: this.carryOffset + pos,
      });
    }
    this.separators = {
      element,
      component,
      repetition: repetition === component ? null : repetition,
      segment,
    };
    this.terminatorIsNewline = segment === '\n' || segment === '\r';
    return this.separators;
  }

  /** Separators for a file that starts without an ISA; null when more input is needed to decide. */
  private bareSeparators(text: string, pos: number, final: boolean): Separators | null {
    if (
      !(text.startsWith('ST', pos) || text.startsWith('GS', pos)) ||
      !'*|^~'.includes(text.charAt(pos + 2))
    ) {
      if (!final && text.length - pos < 3) return null;
      throw this.error(
        pos,
        'an ISA segment (or ST for a file without an envelope)',
        shown(text.slice(pos, pos + 20)),
      );
    }
    const element = text.charAt(pos + 2);
    let segment = '~';
    if (text.indexOf('~', pos) === -1) {
      if (!final && text.length - pos < TERMINATOR_SNIFF) return null;
      segment = text.indexOf('\n', pos) !== -1 ? '\n' : '~';
    }
    this.separators = { ...DEFAULT_SEPARATORS, element, segment };
    this.terminatorIsNewline = segment === '\n';
    this.onIssue({
      severity: 'warning',
      code: 'x12.no_envelope',
      message: `file has no ISA envelope; using separators ${shown(element)} ${shown(':')} ${shown(segment)}`,
      segmentNo: this.segmentCount + 1,
      offset: this.carryOffset + pos,
    });
    return this.separators;
  }

  private tooLong(text: string, pos: number): never {
    throw this.error(
      pos,
      `a segment terminator ${shown(this.separators?.segment ?? '~')} within ${this.maxSegmentLength} bytes`,
      shown(text.slice(pos, pos + 40)),
    );
  }

  private error(pos: number, expected: string, found: string): X12Error {
    return new X12Error({
      file: this.file,
      segmentNo: this.segmentCount + 1,
      offset: this.carryOffset + pos,
      expected,
      found,
    });
  }
}

const NON_ASCII = /[\u0080-\u00ff]/;

/** A concatenated string is flattened once here rather than on every character access. */
function flatten(text: string): string {
  void Number(text);
  return text;
}

const segmentIds = new Map<number, string>();

/** Segment ids are interned: the same string object for every CLP, so comparing them is cheap. */
function segmentId(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < 2 || length > 3) return text.slice(start, end);
  const key =
    (text.charCodeAt(start) << 16) |
    (text.charCodeAt(start + 1) << 8) |
    (length === 3 ? text.charCodeAt(start + 2) : 0);
  let id = segmentIds.get(key);
  if (id === undefined) {
    // A property key is an internalized string: the same object as the literal 'CLP' in the parsers' switches,
    // so those compare by identity.
    id = Object.keys({ [text.slice(start, end)]: 0 })[0] as string;
    if (segmentIds.size < 4096) segmentIds.set(key, id);
  }
  return id;
}

function indexOrEnd(text: string, needle: string, from: number): number {
  const index = text.indexOf(needle, from);
  return index === -1 ? text.length : index;
}

/** Text read as latin1 that is valid UTF-8 is decoded as UTF-8 (names with accents); otherwise kept as latin1. */
function decodeUtf8IfValid(latin1: string): string {
  const bytes = Buffer.from(latin1, 'latin1');
  const decoded = bytes.toString('utf8');
  return decoded.includes('\uFFFD') ? latin1 : decoded;
}

function isIsaAt(text: string, pos: number): boolean {
  if (text.charCodeAt(pos + 1) !== 83 || text.charCodeAt(pos + 2) !== 65) return false;
  const next = text.charAt(pos + 3);
  return next !== '' && !isAlphanumeric(next);
}

function isAlphanumeric(char: string): boolean {
  return /^[A-Za-z0-9]$/.test(char);
}

/** Index of the nth occurrence of needle at or after `from + 1`. */
function nthIndexOf(text: string, needle: string, from: number, n: number): number {
  let index = from;
  for (let i = 0; i < n; i++) {
    index = text.indexOf(needle, index + 1);
    if (index === -1) return -1;
  }
  return index;
}
