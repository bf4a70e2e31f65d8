/**
 * Money is exact everywhere: integer cents in TypeScript (bigint), DECIMAL(18,2) in DuckDB. Every amount read
 * from text goes through this module; none is ever parsed as a fraction.
 */

/**
 * Whole digits read on the fast path: the cents of a 13-digit amount (at most 10^15 - 1) are an integer well
 * inside a double's exact range (2^53), so digits accumulate there without rounding and become a bigint once.
 * Longer amounts are read as a bigint from their text.
 */
const FAST_WHOLE_DIGITS = 13;

/**
 * The amount text[start, end) in integer cents: an optional sign, digits, an optional point and decimals
 * ("1234.5", "-12", ".75", "+3.", "12.340"). Null when it is not such an amount or has non-zero digits past
 * the cents. Reads the text in place, so the X12 tokenizer calls it on a segment without copying elements.
 */
export function centsBetween(text: string, start: number, end: number): bigint | null {
  let index = start;
  let negative = false;
  const first = text.charCodeAt(index);
  if (first === 45 /* - */ || first === 43 /* + */) {
    negative = first === 45;
    index++;
  }
  const digitsStart = index;
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
        else if (code !== 48) return null;
        fractionDigits++;
      } else {
        whole = whole * 10 + (code - 48);
        wholeDigits++;
      }
    } else if (code === 46 /* . */ && !point) {
      point = true;
    } else {
      return null;
    }
  }
  if (wholeDigits === 0 && fractionDigits === 0) return null;
  if (fractionDigits === 1) fraction *= 10;
  const cents =
    wholeDigits <= FAST_WHOLE_DIGITS
      ? BigInt(whole * 100 + fraction)
      : BigInt(text.slice(digitsStart, digitsStart + wholeDigits)) * 100n + BigInt(fraction);
  return negative ? -cents : cents;
}

const isSpace = (code: number) => code === 32 || (code >= 9 && code <= 13);

/** Parses a decimal amount into integer cents, ignoring spaces around it; null as for centsBetween. */
export function parseCents(text: string): bigint | null {
  let start = 0;
  let end = text.length;
  while (start < end && isSpace(text.charCodeAt(start))) start++;
  while (end > start && isSpace(text.charCodeAt(end - 1))) end--;
  return start === end ? null : centsBetween(text, start, end);
}

/** Formats integer cents as a decimal string with two places: -1234n -> "-12.34". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${abs / 100n}.${fraction}`;
}
