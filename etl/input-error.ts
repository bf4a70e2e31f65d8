/**
 * An input file that cannot be loaded as it is. Every loader throws this (never a bare Error)
 * for bad input, so the quarantine report always says which file, where in it, and what was expected.
 */
export class InputError extends Error {
  readonly file: string;
  /** Where in the file: e.g. "segment 12 (byte 345)" or "line 7, column paid_amount". */
  readonly location: string;
  readonly expected: string;
  readonly found: string;

  constructor(args: { file: string; location: string; expected: string; found: string }) {
    super(`${args.file}: ${args.location}: expected ${args.expected}, found ${args.found}`);
    this.name = 'InputError';
    this.file = args.file;
    this.location = args.location;
    this.expected = args.expected;
    this.found = args.found;
  }
}

export function isInputError(error: unknown): error is InputError {
  return error instanceof InputError;
}
