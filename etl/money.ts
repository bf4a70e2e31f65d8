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

/** An amount in integer cents: the one type every amount has in TypeScript. */
export type Cents = bigint;

/** floor(a / b) for b > 0; bigint division truncates toward zero. */
function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return q * b > a ? q - 1n : q;
}

/** a / b rounded to a whole number, half up (toward +∞ at exactly half, as Math.round does), for b > 0. */
function divRoundHalfUp(a: bigint, b: bigint): bigint {
  return floorDiv(2n * a + b, 2n * b);
}

function wholeBasisPoints(basisPoints: number | bigint): bigint {
  if (typeof basisPoints === 'bigint') return basisPoints;
  if (!Number.isSafeInteger(basisPoints))
    throw new Error(`a rate must be whole basis points, got ${basisPoints}`);
  return BigInt(basisPoints);
}

/** cents × basisPoints / 10 000 (10 000 bp = 100 %), rounded to whole cents half up. Exact at any size. */
export function applyRate(cents: Cents, basisPoints: number | bigint): Cents {
  return divRoundHalfUp(cents * wholeBasisPoints(basisPoints), 10_000n);
}

/**
 * cents × fraction, rounded half up to a multiple of `unit` cents, computed exactly: the fraction (a finite
 * double, e.g. a share drawn at random) is taken as the binary fraction it is, never rounded on the way.
 */
export function scaleCents(cents: Cents, fraction: number, unit: Cents = 1n): Cents {
  if (!Number.isFinite(fraction)) throw new Error(`a scale must be finite, got ${fraction}`);
  if (unit <= 0n) throw new Error(`a unit must be positive, got ${unit}`);
  if (fraction === 0) return 0n;
  // The double as mantissa × 2^exponent, both integers.
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, fraction);
  const bits = view.getBigUint64(0);
  const negative = bits >> 63n === 1n;
  const biased = Number((bits >> 52n) & 0x7ffn);
  const fractionBits = bits & 0xfffffffffffffn;
  const mantissa = biased === 0 ? fractionBits : fractionBits | (1n << 52n);
  const exponent = (biased === 0 ? 1 : biased) - 1075;
  let numerator = cents * (negative ? -mantissa : mantissa);
  let denominator = unit;
  if (exponent >= 0) numerator <<= BigInt(exponent);
  else denominator <<= BigInt(-exponent);
  return divRoundHalfUp(numerator, denominator) * unit;
}

/** The smaller of two amounts. */
export function minCents(a: Cents, b: Cents): Cents {
  return a < b ? a : b;
}

/** The larger of two amounts. */
export function maxCents(a: Cents, b: Cents): Cents {
  return a > b ? a : b;
}

/** The sum of amounts (0 for none). */
export function sumCents(amounts: Iterable<Cents>): Cents {
  let total = 0n;
  for (const amount of amounts) total += amount;
  return total;
}

/** Integer cents from a whole number of cents drawn or counted as a number (e.g. a random draw); exact or an error. */
export function centsOf(whole: number): Cents {
  if (!Number.isSafeInteger(whole)) throw new Error(`not a whole number of cents: ${whole}`);
  return BigInt(whole);
}

/** An amount rounded half up to a multiple of `unit` cents (e.g. 100n: whole dollars). */
export function roundToUnit(cents: Cents, unit: Cents): Cents {
  if (unit <= 0n) throw new Error(`a unit must be positive, got ${unit}`);
  return divRoundHalfUp(cents, unit) * unit;
}

/** The amount without its sign. */
export function absCents(cents: Cents): Cents {
  return cents < 0n ? -cents : cents;
}
