import { parseCents } from '../money.ts';
import type { TransactionContext } from './envelope.ts';
import { shown } from './errors.ts';

/**
 * Element values of X12 data types: quantities (R, exact to DECIMAL(18,4)) and dates (DT, CCYYMMDD) as ISO
 * strings; amounts are etl/money.ts's. Each returns null for empty or malformed text; callers decide whether
 * that is a warning.
 */

/** Quantities are stored as DECIMAL(18,4): up to 14 whole digits and 4 decimals, exact. */
export const QUANTITY_SCALE = 4;
const MAX_WHOLE_DIGITS = 14;
/** Below this many whole units, whole × 10,000 + decimals is an exact number (under 2^53). */
const NUMBER_SAFE_WHOLE = 900_000_000_000;

/** What scanQuantity read: a module-level scratch, so the parser's check allocates nothing. */
const scanned = { negative: false, whole: 0, tenThousandths: 0 };

/**
 * Reads text as a quantity DECIMAL(18,4) holds exactly: an optional sign, digits of which at most 14 are
 * significant, and an optional point with decimals whose digits past the fourth are all zero; at least one digit.
 * A character loop (it runs for every SVC05 and CAS quantity of an 835): false when not such a quantity.
 */
function scanQuantity(text: string): boolean {
  const length = text.length;
  const first = text.charCodeAt(0);
  let i = first === 43 /* + */ || first === 45 /* - */ ? 1 : 0;
  let digits = 0;
  let significant = 0;
  let whole = 0;
  for (; i < length; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) break;
    digits++;
    if (significant === 0 && code === 48) continue;
    if (++significant > MAX_WHOLE_DIGITS) return false;
    whole = whole * 10 + (code - 48);
  }
  let decimals = 0;
  let fraction = 0;
  if (i < length) {
    if (text.charCodeAt(i) !== 46 /* . */) return false;
    for (i++; i < length; i++) {
      const code = text.charCodeAt(i);
      if (code < 48 || code > 57) return false;
      digits++;
      if (decimals < QUANTITY_SCALE) {
        fraction = fraction * 10 + (code - 48);
        decimals++;
      } else if (code !== 48) return false;
    }
  }
  if (digits === 0) return false;
  for (; decimals < QUANTITY_SCALE; decimals++) fraction *= 10;
  scanned.negative = first === 45;
  scanned.whole = whole;
  scanned.tenThousandths = fraction;
  return true;
}

/**
 * Checks a decimal quantity (units, days, CAS quantities): its text when it is a plain decimal that DECIMAL(18,4)
 * holds exactly, else null (not a number, more than 14 whole digits, or non-zero digits past the fourth decimal).
 */
export function parseQuantity(text: string): string | null {
  return scanQuantity(text) ? text : null;
}

/** A quantity as an integer count of 1/10,000ths ("1.5" → 15000n); null as for parseQuantity. */
export function quantityUnits(text: string): bigint | null {
  if (!scanQuantity(text)) return null;
  const { whole, tenThousandths } = scanned;
  const units =
    whole < NUMBER_SAFE_WHOLE
      ? BigInt(whole * 10_000 + tenThousandths)
      : BigInt(whole) * 10_000n + BigInt(tenThousandths);
  return scanned.negative ? -units : units;
}

/**
 * Parses an X12 date CCYYMMDD into "YYYY-MM-DD"; null when empty, malformed or not a calendar date.
 * Years before 1800 (e.g. the "10010101" placeholders some payers send) are returned as they are: a real date.
 */
export function parseDate(text: string): string | null {
  if (text.length !== 8) return null;
  for (let i = 0; i < 8; i++) {
    const code = text.charCodeAt(i);
    if (code < 48 || code > 57) return null;
  }
  const year = Number(text.slice(0, 4));
  const month = Number(text.slice(4, 6));
  const day = Number(text.slice(6, 8));
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return null;
  return `${text.slice(0, 4)}-${text.slice(4, 6)}-${text.slice(6, 8)}`;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Days since 1970-01-01 of an ISO date "YYYY-MM-DD" (the DuckDB DATE representation). */
export function isoDateToDays(iso: string): number {
  // Proleptic Gregorian days-from-civil (H. Hinnant), valid for every year 0000-9999.
  let year = Number(iso.slice(0, 4));
  const month = Number(iso.slice(5, 7));
  const day = Number(iso.slice(8, 10));
  if (month <= 2) year -= 1;
  const era = Math.floor(year / 400);
  const yearOfEra = year - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** Where a transaction parser reports what it could read past (TransactionContext.issue). */
export interface IssueReporter {
  issue: TransactionContext['issue'];
}

/** An element read with `parse`: null when empty; null with a warning when `parse` cannot read it. */
function readOrWarn<T>(
  context: IssueReporter,
  text: string | undefined,
  element: string,
  segmentNo: number,
  offset: number,
  parse: (text: string) => T | null,
  code: string,
  expected: string,
): T | null {
  if (text === undefined || text === '') return null;
  const value = parse(text);
  if (value === null) {
    context.issue(
      'warning',
      code,
      `${element} ${shown(text)} is not ${expected}; loaded as null`,
      segmentNo,
      offset,
    );
  }
  return value;
}

/**
 * An amount element in exact cents, null when empty. A malformed amount is null with a warning, or, when the
 * balancing rules need it (`required`), an error: the money could not be accounted for.
 */
export function amountOrIssue(
  context: IssueReporter,
  text: string | undefined,
  element: string,
  segmentNo: number,
  offset: number,
  required = false,
): bigint | null {
  if (!required) {
    return readOrWarn(
      context,
      text,
      element,
      segmentNo,
      offset,
      parseCents,
      'x12.invalid_amount',
      'a decimal amount',
    );
  }
  if (text === undefined || text === '') return null;
  const cents = parseCents(text);
  if (cents === null) {
    context.issue(
      'error',
      'x12.invalid_amount',
      `${element} ${shown(text)} is not a decimal amount`,
      segmentNo,
      offset,
      {
        expected: `${element} as a decimal amount`,
        found: shown(text),
      },
    );
  }
  return cents;
}

/** A date element CCYYMMDD as ISO text, null when empty; null with a warning when malformed. */
export function dateOrWarn(
  context: IssueReporter,
  text: string | undefined,
  element: string,
  segmentNo: number,
  offset: number,
): string | null {
  return readOrWarn(
    context,
    text,
    element,
    segmentNo,
    offset,
    parseDate,
    'x12.invalid_date',
    'a date CCYYMMDD',
  );
}

/** A quantity element the raw tables hold exactly (DECIMAL(18,4)), null when empty; null with a warning otherwise. */
export function quantityOrWarn(
  context: IssueReporter,
  text: string | undefined,
  element: string,
  segmentNo: number,
  offset: number,
): string | null {
  const expected = 'a quantity (a decimal of at most 14 digits and 4 decimals)';
  return readOrWarn(
    context,
    text,
    element,
    segmentNo,
    offset,
    parseQuantity,
    'x12.invalid_quantity',
    expected,
  );
}

/** A DTP date of service: D8 (one day, so from = to) or RD8 (CCYYMMDD-CCYYMMDD), each part null with a warning when malformed. */
export function dateRangeOrWarn(
  context: IssueReporter,
  format: string,
  text: string,
  element: string,
  segmentNo: number,
  offset: number,
): { from: string | null; to: string | null } {
  if (format !== 'RD8') {
    const day = dateOrWarn(context, text, element, segmentNo, offset);
    return { from: day, to: day };
  }
  const [from = '', to = ''] = text.split('-');
  return {
    from: dateOrWarn(context, from, element, segmentNo, offset),
    to: dateOrWarn(context, to, element, segmentNo, offset),
  };
}
