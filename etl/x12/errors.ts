import { InputError } from '../input-error.ts';

/** Where a segment is in its file, as every X12 error and warning states it. */
export function segmentLocation(segmentNo: number, offset: number): string {
  return segmentNo > 0 ? `segment ${segmentNo} (byte ${offset})` : `byte ${offset}`;
}

/**
 * An X12 file that cannot be parsed any further: names the file, the segment number (1-based, counting every
 * non-empty segment in the file), the byte offset where that segment starts, what was expected and what was found.
 */
export class X12Error extends InputError {
  readonly segmentNo: number;
  readonly offset: number;

  constructor(args: { file: string; segmentNo: number; offset: number; expected: string; found: string }) {
    super({
      file: args.file,
      location: segmentLocation(args.segmentNo, args.offset),
      expected: args.expected,
      found: args.found,
    });
    this.name = 'X12Error';
    this.segmentNo = args.segmentNo;
    this.offset = args.offset;
  }
}

/**
 * Something the parser noticed but could go on from. Warnings (wrong SE01 count, mismatched control numbers,
 * malformed amounts) never stop a load; errors make the file unloadable but parsing continues so every
 * problem is reported at once.
 */
export interface X12Issue {
  severity: 'warning' | 'error';
  code: string;
  message: string;
  segmentNo: number;
  offset: number;
  /** For errors: what the element or segment should have been, and what it was (the quarantine report). */
  expected?: string;
  found?: string;
}

/** Shows a found value in messages: quoted, control characters escaped, long values cut. */
export function shown(value: string, max = 40): string {
  const cut = value.length > max ? `${value.slice(0, max)}…` : value;
  return JSON.stringify(cut);
}

/** An error issue as the exception loaders throw (the file is quarantined with this location and message). */
export function issueError(file: string, issue: X12Issue): X12Error {
  return new X12Error({
    file,
    segmentNo: issue.segmentNo,
    offset: issue.offset,
    expected: issue.expected ?? 'a valid X12 file',
    found: issue.found ?? issue.message,
  });
}
