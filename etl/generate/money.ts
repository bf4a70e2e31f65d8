/**
 * Money is integer cents (safe JavaScript integers) everywhere in the generator; these helpers only format.
 */

export type Cents = number;

function assertCents(c: Cents): void {
  if (!Number.isSafeInteger(c)) throw new Error(`money must be integer cents, got ${c}`);
}

/** '-1234.56' — two decimals, leading minus. */
export function plain(c: Cents): string {
  assertCents(c);
  const neg = c < 0;
  const a = neg ? -c : c;
  const s = `${Math.floor(a / 100)}.${String(a % 100).padStart(2, '0')}`;
  return neg ? `-${s}` : s;
}

/**
 * X12 decimal (R) amount. `fixed2` writes two decimals ('118.40'), `trimmed` suppresses trailing
 * zeros after the decimal point as the TR3 recommends ('118.4', '118'). Both are valid; payers differ.
 */
export function x12Amount(c: Cents, style: 'fixed2' | 'trimmed'): string {
  const s = plain(c);
  if (style === 'fixed2') return s;
  if (s.endsWith('.00')) return s.slice(0, -3);
  if (s.endsWith('0')) return s.slice(0, -1);
  return s;
}

function withThousands(intPart: string): string {
  let out = '';
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % 3 === 0) out += ',';
    out += intPart[i];
  }
  return out;
}

/** '$1,234.56' and '($12.00)' for negatives. */
export function dollarParen(c: Cents): string {
  assertCents(c);
  const a = c < 0 ? -c : c;
  const s = `$${withThousands(String(Math.floor(a / 100)))}.${String(a % 100).padStart(2, '0')}`;
  return c < 0 ? `(${s})` : s;
}

/** '1234.56' and '12.00-' (trailing minus) for negatives. */
export function trailingMinus(c: Cents): string {
  const s = plain(c < 0 ? -c : c);
  return c < 0 ? `${s}-` : s;
}

/** Round a non-negative product of cents by a rate to whole cents (half up), in integer arithmetic. */
export function applyRate(c: Cents, rateBasisPoints: number): Cents {
  // rate in 1/10000 units; integer math keeps it exact.
  const num = c * rateBasisPoints;
  if (!Number.isSafeInteger(num)) throw new Error('amount too large for rate arithmetic');
  const q = Math.floor(num / 10_000);
  const r = num - q * 10_000;
  return r * 2 >= 10_000 ? q + 1 : q;
}
