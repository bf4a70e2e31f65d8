import { centsBetween } from '../money.ts';
import { shown, X12Error, type X12Issue } from './errors.ts';
import { DEFAULT_SEPARATORS, type Separators } from './separators.ts';

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
  /** @internal Element bounds: element i is text[starts[i], ends[i]). */
  starts = new Int32Array(64);
  /** @internal */
  ends = new Int32Array(64);

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
   * Element i as exact integer cents, read in place: null when absent or empty, undefined when it is not a
   * decimal amount (callers then read el(i) to report it).
   */
  cents(i: number): bigint | null | undefined {
    if (i >= this.count) return null;
    const start = this.starts[i] as number;
    const end = this.ends[i] as number;
    if (start === end) return null;
    return centsBetween(this.text, start, end) ?? undefined;
  }

  /** @internal Points the view at text[start, end) split on the element separator (the slow path). */
  set(text: string, start: number, end: number, separator: string): void {
    const code = separator.charCodeAt(0);
    let count = 0;
    this.reserve(end - start + 2);
    this.starts[0] = start;
    for (let i = start; i < end; i++) {
      if (text.charCodeAt(i) === code) {
        this.ends[count] = i;
        count++;
        this.starts[count] = i + 1;
      }
    }
    this.ends[count] = end;
    this.adopt(text, count + 1);
  }

  /** @internal The reader filled starts/ends for `count` elements of text: take them. */
  adopt(text: string, count: number): void {
    this.text = text;
    this.count = count;
    this.id = segmentId(text, this.starts[0] as number, this.ends[0] as number);
  }

  /** @internal Makes room for `size` elements (bounds arrays grow, keeping what they hold). */
  reserve(size: number): void {
    if (size <= this.starts.length) return;
    const starts = new Int32Array(size);
    const ends = new Int32Array(size);
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

  /** The unread text: its bytes, and the same bytes decoded as latin1 (so offsets are equal in both). */
  private carryBytes: Buffer = Buffer.alloc(0);
  private carry = '';
  private carryOffset = 0;
  private readonly maxSegmentLength: number;
  private readonly onIssue: (issue: X12Issue) => void;
  private terminatorIsNewline = false;
  private ended = false;
  private readonly view = new Segment();

  constructor(
    private readonly file: string,
    private readonly onSegment: SegmentHandler,
    options: SegmentReaderOptions = {},
  ) {
    this.maxSegmentLength = options.maxSegmentLength ?? 64 * 1024;
    this.onIssue = options.onIssue ?? (() => {});
  }

  /** Feeds the next chunk of the file: bytes, or a string taken as its UTF-8 bytes (however it is split). */
  push(chunk: Uint8Array | string): void {
    if (this.ended) throw new Error('SegmentReader: push after end');
    let bytes =
      typeof chunk === 'string'
        ? Buffer.from(chunk, 'utf8')
        : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const terminator = this.separators?.segment.charCodeAt(0) ?? -1;
    if (this.carryBytes.length > 0 && terminator >= 0) {
      // The unfinished tail is finished with the chunk's bytes up to their first terminator, read on their own,
      // so the rest of the chunk is read where it lies instead of being copied behind the tail (a 1 MiB copy per
      // chunk). Reading one chunk as two is safe: the reader gives the same segments however its input is split.
      const first = bytes.indexOf(terminator);
      if (first >= 0 && first < bytes.length - 1) {
        this.take(bytes.subarray(0, first + 1));
        bytes = bytes.subarray(first + 1);
      }
    }
    this.take(bytes);
  }

  /** Reads the unread tail followed by `bytes`; keeps (copied) what is not yet a whole segment. */
  private take(bytes: Buffer): void {
    // The unfinished tail is re-joined as bytes, so the text is one flat string (slicing a concatenated
    // string is slower) and the bytes and text stay aligned.
    const joined = this.carryBytes.length === 0 ? bytes : Buffer.concat([this.carryBytes, bytes]);
    this.carryBytes = joined;
    this.carry = joined.toString('latin1');
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
    const bytes = this.carryBytes;
    const length = text.length;
    let pos = 0;
    if (this.carryOffset === 0 && text.startsWith(UTF8_BOM)) pos = UTF8_BOM.length;

    while (pos < length) {
      const code = bytes[pos] as number;
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
      const end = this.scanSegment(bytes, pos, Math.min(length, pos + this.maxSegmentLength + 1), sep);
      if (end < 0) {
        // No terminator in what has been read.
        if (length - pos > this.maxSegmentLength) this.tooLong(text, pos);
        if (!final) break;
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
      const stop = end < 0 ? length : end;
      const offset = this.carryOffset + pos;
      const start = pos;
      pos = stop + 1;
      if (this.scanSpecial) {
        if (!this.slowSegment(text, start, stop, sep.element)) continue;
      } else {
        this.view.adopt(text, this.scanCount);
      }
      this.segmentCount++;
      this.onSegment(this.view, this.segmentCount, offset);
    }
    if (pos >= length) {
      this.carry = '';
      this.carryBytes = Buffer.alloc(0);
    } else {
      this.carry = text.slice(pos);
      // A copy: the caller may reuse its read buffer for the next chunk.
      this.carryBytes = Buffer.from(bytes.subarray(pos));
    }
    this.carryOffset += pos;
  }

  /** Elements found by the last scanSegment, and whether it saw a line break or a byte outside printable ASCII. */
  private scanCount = 0;
  private scanSpecial = false;

  /**
   * The hot loop: one pass over the bytes of the segment at pos records where its elements end and finds its
   * terminator (returned; -1 when it is not before limit). Branch-light on purpose: element ends are written
   * unconditionally and the count advanced by a comparison, so separators every few bytes cost no mispredicted
   * branches. A line break or a byte above 0x7E inside the segment sets scanSpecial (the slow path redoes it).
   */
  private scanSegment(bytes: Uint8Array, pos: number, limit: number, sep: Separators): number {
    const view = this.view;
    // Room for a separator at every byte up to the limit, so the loop needs no bounds check.
    if (view.ends.length <= limit - pos) view.reserve(limit - pos + 1);
    const ends = view.ends;
    const elementCode = sep.element.charCodeAt(0);
    const segmentCode = sep.segment.charCodeAt(0);
    let count = 0;
    let special = 0;
    let i = pos;
    for (; i < limit; i++) {
      const c = bytes[i] as number;
      if (c === segmentCode) break;
      ends[count] = i;
      count += c === elementCode ? 1 : 0;
      special |= (c - 32) >>> 0 > 94 ? 1 : 0;
    }
    ends[count] = i;
    const starts = view.starts;
    starts[0] = pos;
    for (let e = 1; e <= count; e++) starts[e] = (ends[e - 1] as number) + 1;
    this.scanCount = count + 1;
    this.scanSpecial = special !== 0;
    return i === limit ? -1 : i;
  }

  /**
   * A segment with line breaks or bytes above 0x7F: CR/LF inside it are removed (hard-wrapped files; a CR
   * before a newline terminator), valid UTF-8 is decoded. False when nothing is left of it.
   */
  private slowSegment(text: string, start: number, end: number, element: string): boolean {
    let segmentText = text.slice(start, end);
    if (this.terminatorIsNewline) {
      if (segmentText.endsWith('\r')) segmentText = segmentText.slice(0, -1);
    } else {
      segmentText = segmentText.replace(/[\r\n]/g, '');
    }
    if (/^[\r\n\t ]*$/.test(segmentText)) return false;
    if (NON_ASCII.test(segmentText)) segmentText = decodeUtf8IfValid(segmentText);
    this.view.set(segmentText, 0, segmentText.length, element);
    return true;
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

/** A direct-mapped cache of interned segment ids, keyed by their (up to three) character codes. */
const ID_CACHE_SIZE = 4096;
const idKeys = new Int32Array(ID_CACHE_SIZE).fill(-1);
const idStrings: string[] = new Array(ID_CACHE_SIZE).fill('');

/** Segment ids are interned: the same string object for every CLP, so comparing them is cheap. */
function segmentId(text: string, start: number, end: number): string {
  const length = end - start;
  if (length < 2 || length > 3) return text.slice(start, end);
  const key =
    text.charCodeAt(start) |
    (text.charCodeAt(start + 1) << 8) |
    (length === 3 ? text.charCodeAt(start + 2) << 16 : 0);
  const slot = (key ^ (key >>> 11)) & (ID_CACHE_SIZE - 1);
  if (idKeys[slot] === key) return idStrings[slot] as string;
  // A property key is an internalized string: the same object as the literal 'CLP' in the parsers' switches,
  // so those compare by identity.
  const id = Object.keys({ [text.slice(start, end)]: 0 })[0] as string;
  idKeys[slot] = key;
  idStrings[slot] = id;
  return id;
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
