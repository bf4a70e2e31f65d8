import { isUtf8 } from 'node:buffer';
import { closeSync, openSync, readSync, statSync, writeSync } from 'node:fs';

/**
 * Byte-level facts about a CSV file that DuckDB's reader does not give: how many physical lines it has,
 * whether it is valid UTF-8, and (only when needed) the physical line on which each record starts.
 *
 * Physical line numbers: DuckDB reads records in file order but skips blank lines and lets a quoted field
 * span several lines, so a record's position is not its line. When the file's last non-blank line equals
 * header line + record count, no record spans lines and no blank line sits between records, and record i
 * (from 0) is on line header + 1 + i. Otherwise `recordLines` scans the file once, quote-aware, and returns
 * the line of every record.
 */

const CHUNK = 4 * 1024 * 1024;
const NL = 0x0a;
const CR = 0x0d;

export interface FileScan {
  /** Physical line number of the last line holding anything but a line break (0 for an empty file). */
  lastContentLine: number;
  /** The bytes are valid UTF-8 (a BOM included). */
  utf8: boolean;
  /** The line of the first NUL byte, or null: a file holding one is binary, not a CSV export. */
  nulLine: number | null;
}

function* chunks(filePath: string): Generator<Buffer> {
  const fd = openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (;;) {
      const read = readSync(fd, buffer, 0, CHUNK, null);
      if (read === 0) return;
      yield buffer.subarray(0, read);
    }
  } finally {
    closeSync(fd);
  }
}

export function scanFile(filePath: string): FileScan {
  let newlines = 0;
  let trailingNewlines = 0;
  let trailingOnlyBreaks = true;
  let utf8 = true;
  let nulLine: number | null = null;
  let carry: Buffer = Buffer.alloc(0);
  for (const chunk of chunks(filePath)) {
    const nul = nulLine === null ? chunk.indexOf(0) : -1;
    if (nul !== -1) {
      nulLine = newlines + 1;
      for (let at = chunk.indexOf(NL); at !== -1 && at < nul; at = chunk.indexOf(NL, at + 1)) nulLine++;
    }
    for (let at = chunk.indexOf(NL); at !== -1; at = chunk.indexOf(NL, at + 1)) newlines++;
    // Trailing run of line breaks: how many newlines end the file after its last content byte.
    let end = chunk.length - 1;
    let run = 0;
    while (end >= 0 && (chunk[end] === NL || chunk[end] === CR)) {
      if (chunk[end] === NL) run++;
      end--;
    }
    if (end >= 0) {
      trailingNewlines = run;
      trailingOnlyBreaks = false;
    } else trailingNewlines += run;
    if (utf8) {
      // Check up to the last newline (always a character boundary); carry the rest into the next chunk.
      const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
      const cut = joined.lastIndexOf(NL) + 1;
      if (!isUtf8(joined.subarray(0, cut))) utf8 = false;
      carry = Buffer.from(joined.subarray(cut));
    }
  }
  if (utf8 && carry.length > 0 && !isUtf8(carry)) utf8 = false;
  if (trailingOnlyBreaks) return { lastContentLine: 0, utf8, nulLine };
  // The last content line is preceded by (newlines - trailingNewlines) line breaks.
  return { lastContentLine: newlines - trailingNewlines + 1, utf8, nulLine };
}

/** Copies a Windows-1252 file as UTF-8 (a single-byte encoding: line breaks stay where they are). */
export function transcodeWindows1252(source: string, target: string): void {
  const decoder = new TextDecoder('windows-1252');
  const out = openSync(target, 'w');
  try {
    for (const chunk of chunks(source))
      writeSync(out, Buffer.from(decoder.decode(chunk, { stream: true }), 'utf8'));
  } finally {
    closeSync(out);
  }
}

/** Byte offset of the end of the last content line (after its line break) and the breaks that follow it. */
function trailingBreaks(filePath: string): { keep: number; endings: Set<string> } {
  const fd = openSync(filePath, 'r');
  try {
    const size = statSync(filePath).size;
    const buffer = Buffer.alloc(64 * 1024);
    let last = -1;
    for (let end = size; end > 0 && last < 0; ) {
      const start = Math.max(0, end - buffer.length);
      readSync(fd, buffer, 0, end - start, start);
      for (let i = end - start - 1; i >= 0; i--) {
        if (buffer[i] !== NL && buffer[i] !== CR) {
          last = start + i;
          break;
        }
      }
      end = start;
    }
    const tail = Buffer.alloc(Math.min(size - last - 1, 4096));
    readSync(fd, tail, 0, tail.length, last + 1);
    const endings = new Set<string>();
    let keep = -1;
    for (let i = 0; i < tail.length; i++) {
      const ending = tail[i] === NL ? 'LF' : tail[i + 1] === NL ? 'CRLF' : 'CR';
      if (ending === 'CRLF') i++;
      if (keep < 0) keep = last + 1 + i + 1;
      endings.add(ending);
    }
    return { keep: keep < 0 ? size : keep, endings };
  } finally {
    closeSync(fd);
  }
}

/**
 * A copy of the file without its trailing blank lines when they mix line endings (a blank CRLF line after an
 * LF file): still blank lines, though DuckDB's reader refuses the mix. Null when the file needs no copy.
 */
/** Whether withoutMixedTrailingBreaks would write a trimmed copy of the file. */
export function hasMixedTrailingBreaks(source: string): boolean {
  return trailingBreaks(source).endings.size > 1;
}

export function withoutMixedTrailingBreaks(source: string, target: string): string | null {
  const { keep, endings } = trailingBreaks(source);
  if (endings.size <= 1) return null;
  const fd = openSync(source, 'r');
  const out = openSync(target, 'w');
  try {
    const buffer = Buffer.alloc(CHUNK);
    for (let position = 0; position < keep; ) {
      const n = readSync(fd, buffer, 0, Math.min(buffer.length, keep - position), position);
      writeSync(out, buffer.subarray(0, n));
      position += n;
    }
  } finally {
    closeSync(fd);
    closeSync(out);
  }
  return target;
}

/** The physical line (1-based) of the first content byte at or after `byteOffset`. */
export function lineAtByte(filePath: string, byteOffset: number): number {
  let line = 1;
  let position = 0;
  for (const chunk of chunks(filePath)) {
    const limit = Math.min(chunk.length, byteOffset - position);
    for (let at = chunk.indexOf(NL); at !== -1 && at < limit; at = chunk.indexOf(NL, at + 1)) line++;
    if (position + chunk.length >= byteOffset) {
      // Skip line breaks that precede the record itself.
      for (let i = Math.max(0, byteOffset - position); i < chunk.length; i++) {
        if (chunk[i] === NL) line++;
        else if (chunk[i] !== CR) return line;
      }
    }
    position += chunk.length;
  }
  return line;
}

/**
 * The physical line on which each record after the header starts, in file order: blank lines outside quotes
 * are not records, and a newline inside a quoted field does not start one.
 */
export function recordLines(filePath: string, headerLine: number, quoteChar: string): number[] {
  const quote = quoteChar.charCodeAt(0);
  const lines: number[] = [];
  let line = 1;
  let inQuotes = false;
  let atLineStart = true;
  let recordOpen = false;
  for (const chunk of chunks(filePath)) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte === NL) {
        line++;
        atLineStart = true;
        if (!inQuotes) recordOpen = false;
        continue;
      }
      if (line <= headerLine) continue;
      if (byte === CR) continue;
      if (atLineStart && !recordOpen) {
        lines.push(line);
        recordOpen = true;
      }
      atLineStart = false;
      if (byte === quote) inQuotes = !inQuotes;
    }
  }
  return lines;
}

/** The physical line (1-based) holding the first byte sequence that is not UTF-8, or null when all are. */
export function firstInvalidUtf8Line(filePath: string): number | null {
  let line = 1;
  let carry: Buffer = Buffer.alloc(0);
  for (const chunk of chunks(filePath)) {
    const joined = carry.length > 0 ? Buffer.concat([carry, chunk]) : chunk;
    const cut = joined.lastIndexOf(NL) + 1;
    const whole = joined.subarray(0, cut);
    if (!isUtf8(whole)) {
      for (let start = 0; start < whole.length; line++) {
        const end = whole.indexOf(NL, start) + 1;
        if (!isUtf8(whole.subarray(start, end))) return line;
        start = end;
      }
    }
    for (let at = whole.indexOf(NL); at !== -1; at = whole.indexOf(NL, at + 1)) line++;
    carry = Buffer.from(joined.subarray(cut));
  }
  return carry.length > 0 && !isUtf8(carry) ? line : null;
}

/**
 * The first place where a file breaks CSV's rules as the loader reads them (RFC 4180 quoting, one line ending
 * throughout): DuckDB's strict reader refuses such a file without saying where, so this says where.
 */
export function csvDefect(
  filePath: string,
  quoteChar: string,
  delimiterChar: string,
): { line: number; found: string } | null {
  const quote = quoteChar.charCodeAt(0);
  const delimiter = delimiterChar.charCodeAt(0);
  type State = 'fieldStart' | 'unquoted' | 'quoted' | 'afterQuote';
  let state: State = 'fieldStart';
  let line = 1;
  let quoteOpenedOn = 1;
  let crlf: boolean | null = null;
  let previous = -1;
  let pendingCr = false;
  for (const chunk of chunks(filePath)) {
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i] as number;
      if (pendingCr && byte !== NL && state !== 'quoted') {
        return { line, found: 'a carriage return not followed by a line feed (mixed line endings)' };
      }
      pendingCr = false;
      if (state === 'quoted') {
        if (byte === quote) state = 'afterQuote';
        else if (byte === NL) line++;
      } else if (byte === CR) {
        pendingCr = true;
      } else if (byte === NL) {
        const endsWithCr = previous === CR;
        if (crlf === null) crlf = endsWithCr;
        else if (crlf !== endsWithCr) {
          return {
            line,
            found: `a line ending ${endsWithCr ? 'CRLF' : 'LF'} where the file's first line ends ${crlf ? 'CRLF' : 'LF'}`,
          };
        }
        line++;
        state = 'fieldStart';
      } else if (byte === delimiter) {
        state = 'fieldStart';
      } else if (state === 'fieldStart') {
        if (byte === quote) {
          state = 'quoted';
          quoteOpenedOn = line;
        } else state = 'unquoted';
      } else if (state === 'unquoted') {
        if (byte === quote) return { line, found: 'a quote inside a field that does not start with one' };
      } else if (state === 'afterQuote') {
        if (byte === quote) state = 'quoted';
        else return { line, found: 'text after the closing quote of a field' };
      }
      previous = byte;
    }
  }
  if (state === 'quoted') return { line: quoteOpenedOn, found: 'a quoted field that never closes' };
  return null;
}
