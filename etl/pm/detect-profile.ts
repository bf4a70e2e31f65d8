import { isUtf8 } from 'node:buffer';
import { readHead } from '../file-head.ts';
import { InputError } from '../input-error.ts';
import { normalizeHeader, type Profile } from './profile.ts';

/** The first lines of a file, decoded, with their physical line numbers. */
export interface Head {
  lines: { lineNo: number; text: string }[];
  /** The file has no bytes but a BOM and blank space. */
  empty: boolean;
  /** The file starts with a UTF-16 byte-order mark (a spreadsheet's "Unicode text"). */
  utf16: boolean;
}

const HEAD_BYTES = 64 * 1024;
const HEADER_SEARCH_LINES = 10;

function readHeadLines(filePath: string): Head {
  const bytes = readHead(filePath, HEAD_BYTES);
  const start = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  // Cut at the last full line so a multi-byte character is never split.
  const lastNewline = bytes.lastIndexOf(0x0a);
  const body =
    bytes.length === HEAD_BYTES && lastNewline > 0
      ? bytes.subarray(start, lastNewline)
      : bytes.subarray(start);
  const text = isUtf8(body) ? body.toString('utf8') : new TextDecoder('windows-1252').decode(body);
  const lines = text.split('\n').map((line, index) => ({ lineNo: index + 1, text: line.replace(/\r$/, '') }));
  const utf16 = (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff);
  return { lines, empty: text.trim() === '', utf16 };
}

/** Splits one CSV line into fields (quotes with doubled-quote escapes; no newlines inside). */
export function splitCsvLine(line: string, delimiter: string, quote: string): string[] {
  const fields: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const ch = line[i];
    if (quoted) {
      if (ch === quote && line[i + 1] === quote) {
        field += quote;
        i++;
      } else if (ch === quote) quoted = false;
      else field += ch;
    } else if (ch === quote) quoted = true;
    else if (ch === delimiter) {
      fields.push(field);
      field = '';
    } else field += ch;
  }
  fields.push(field);
  return fields;
}

export interface ProfileMatch {
  profile: Profile;
  present: string[];
  missing: string[];
  /** Header columns the profile does not know (loaded nowhere; reported as a warning). */
  unknown: string[];
}

export function matchProfile(profile: Profile, headers: string[]): ProfileMatch {
  const inFile = new Set(headers.map(normalizeHeader));
  const known = new Set(profile.columns.map((column) => normalizeHeader(column.header)));
  const present: string[] = [];
  const missing: string[] = [];
  for (const column of profile.columns) {
    if (inFile.has(normalizeHeader(column.header))) present.push(column.header);
    else if (!column.optional) missing.push(column.header);
  }
  const unknown = profile.ignoreUnknown
    ? []
    : headers.filter((header) => header.trim() !== '' && !known.has(normalizeHeader(header)));
  return { profile, present, missing, unknown };
}

function similarity(match: ProfileMatch): number {
  const union = match.present.length + match.missing.length + match.unknown.length;
  return union === 0 ? 0 : match.present.length / union;
}

export interface Detection {
  profile: Profile;
  /** Physical line of the header (1-based). */
  headerLine: number;
  /** Header fields as the file spells them. */
  headers: string[];
  unknown: string[];
}

const quoteList = (names: string[]) => names.map((name) => JSON.stringify(name)).join(', ');

/**
 * Picks the profile for a CSV file by its header: a profile fits when every column it needs is present and
 * it knows most of the file's columns; among those that fit, the one using most of the file's columns wins.
 * With `explicit`, only that profile is tried; profiles whose `file_name` matches the file's name are tried
 * alone the same way. An unknown file is refused naming the closest profiles and the columns that did not match.
 */
export function detectProfile(
  filePath: string,
  fileName: string,
  profiles: Profile[],
  explicit?: string,
): Detection {
  const head = readHeadLines(filePath);
  if (head.utf16) {
    throw new InputError({
      file: fileName,
      location: 'line 1',
      expected: 'UTF-8 or Windows-1252 text (save as "CSV UTF-8" or "CSV")',
      found: 'a UTF-16 file (a spreadsheet\'s "Unicode text")',
    });
  }
  if (head.empty) {
    throw new InputError({
      file: fileName,
      location: 'line 1',
      expected: 'a header line',
      found: 'an empty file',
    });
  }
  // Explicit choice: by the caller, or by a profile's file_name pattern matching the file's name.
  const named = profiles.filter((profile) => profile.fileNames.some((pattern) => pattern.test(fileName)));
  // A file routed to several entities is detected by its leading profile (the others load with it).
  const candidates = explicit
    ? profiles.filter((profile) => profile.id === explicit)
    : (named.length > 0 ? named : profiles).filter(
        (profile) => profile.route === null || profile.route.members[0] === profile.id,
      );
  if (explicit && candidates.length === 0) {
    throw new InputError({
      file: fileName,
      location: 'file',
      expected: `profile ${explicit} (known: ${profiles.map((p) => p.id).join(', ')})`,
      found: 'no such profile',
    });
  }
  const headerLines = head.lines.filter((line) => line.text.trim() !== '').slice(0, HEADER_SEARCH_LINES);
  const first = headerLines[0];
  if (!first) {
    throw new InputError({
      file: fileName,
      location: 'line 1',
      expected: 'a header line',
      found: 'an empty file',
    });
  }
  let firstMatches: ProfileMatch[] = [];
  for (const line of headerLines) {
    const matches = candidates.map((profile) =>
      matchProfile(profile, splitCsvLine(line.text, profile.format.delimiter, profile.format.quote)),
    );
    if (line === first) firstMatches = matches;
    // A profile named by the caller is forced: its needed columns suffice, however many others the file has.
    const fitting = matches
      .filter(
        (match) => match.missing.length === 0 && match.present.length > (explicit ? 0 : match.unknown.length),
      )
      .sort((a, b) => b.present.length - a.present.length || a.unknown.length - b.unknown.length);
    const [best, second] = fitting;
    if (!best) continue;
    if (
      second &&
      second.present.length === best.present.length &&
      second.unknown.length === best.unknown.length
    ) {
      throw new InputError({
        file: fileName,
        location: `line ${line.lineNo} (header)`,
        expected: `a header that fits one profile`,
        found: `a header that fits ${best.profile.id} and ${second.profile.id} equally; name the profile explicitly`,
      });
    }
    const headers = splitCsvLine(line.text, best.profile.format.delimiter, best.profile.format.quote);
    const duplicated = duplicates(headers.filter((header) => header.trim() !== ''));
    if (duplicated.length > 0) {
      throw new InputError({
        file: fileName,
        location: `line ${line.lineNo} (header)`,
        expected: 'each column name once',
        found: `${quoteList(duplicated)} more than once`,
      });
    }
    return { profile: best.profile, headerLine: line.lineNo, headers, unknown: best.unknown };
  }
  const closest = [...firstMatches]
    .filter((match) => match.present.length > 0)
    .sort((a, b) => similarity(b) - similarity(a))
    .slice(0, 3);
  const nearest = closest[0];
  if (!nearest) {
    const sources = [...new Set(candidates.map((profile) => profile.name))].join(', ');
    const headers = splitCsvLine(first.text, ',', '"').filter((header) => header.trim() !== '');
    throw new InputError({
      file: fileName,
      location: `line ${first.lineNo} (header)`,
      expected: `a header matching a profile; no profile (${sources}) knows any of its columns`,
      found: `columns ${quoteList(headers)}`,
    });
  }
  throw new InputError({
    file: fileName,
    location: `line ${first.lineNo} (header)`,
    expected: `a header matching a profile; closest: ${closest
      .map(
        (match) =>
          `${match.profile.id} (missing ${match.missing.length > 0 ? quoteList(match.missing) : 'nothing'}; knows ${match.present.length} of the file's ${match.present.length + match.unknown.length} columns)`,
      )
      .join('; ')}`,
    found: `columns not in ${nearest.profile.id}: ${nearest.unknown.length > 0 ? quoteList(nearest.unknown) : 'none'}`,
  });
}

function duplicates(headers: string[]): string[] {
  const seen = new Set<string>();
  const twice = new Set<string>();
  for (const header of headers) {
    const key = normalizeHeader(header);
    if (seen.has(key)) twice.add(header);
    seen.add(key);
  }
  return [...twice];
}
