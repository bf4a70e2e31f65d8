import { describe, expect, it } from 'vitest';
import { formatCents, parseCents } from '../../etl/money.ts';

describe('parseCents', () => {
  it.each([
    ['945.00', 94500n],
    ['45.75', 4575n],
    ['1222', 122200n],
    ['-37.5', -3750n],
    ['.5', 50n],
    ['0', 0n],
    ['+12.30', 1230n],
    ['  8.10 ', 810n],
    ['12.340', 1234n],
  ])('%s is %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each(['', '-', '.', '1,234.00', '$5', '1.234', '12a', '1e3'])('refuses %j', (text) => {
    expect(parseCents(text)).toBeNull();
  });

  it('keeps amounts beyond 2^53 exact', () => {
    expect(parseCents('90071992547409.93')).toBe(9007199254740993n);
  });
});

describe('formatCents', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [-1234n, '-12.34'],
    [221275n, '2212.75'],
  ])('%d cents is %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });
});
