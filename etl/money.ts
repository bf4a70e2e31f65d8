/**
 * Money is exact everywhere: integer cents in TypeScript (bigint), DECIMAL(18,2) in DuckDB.
 * Never parse an amount through a JavaScript number.
 */

const amountPattern = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Parses a plain decimal amount ("1234.5", "-12", ".75", "0.00") into integer cents.
 * Returns null when the text is not such an amount or has more than two decimal places of non-zero digits.
 */
export function parseCents(text: string): bigint | null {
  const match = amountPattern.exec(text.trim());
  if (!match) return null;
  const [, sign, whole = '', fraction = ''] = match;
  if (whole === '' && fraction === '') return null;
  if (fraction.length > 2 && /[1-9]/.test(fraction.slice(2))) return null;
  const cents = BigInt(whole === '' ? '0' : whole) * 100n + BigInt(fraction.padEnd(2, '0').slice(0, 2));
  return sign === '-' ? -cents : cents;
}

/** Formats integer cents as a decimal string with two places: -1234n -> "-12.34". */
export function formatCents(cents: bigint): string {
  const negative = cents < 0n;
  const abs = negative ? -cents : cents;
  const whole = abs / 100n;
  const fraction = (abs % 100n).toString().padStart(2, '0');
  return `${negative ? '-' : ''}${whole}.${fraction}`;
}
