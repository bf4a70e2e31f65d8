import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { centsBetween, formatCents, parseCents } from '../etl/money.ts';

describe('parseCents', () => {
  it.each([
    ['945.00', 94500n],
    ['45.75', 4575n],
    ['1222', 122200n],
    ['-37.5', -3750n],
    ['.5', 50n],
    ['0', 0n],
    ['+12.30', 1230n],
    ['+3.', 300n],
    ['-0.01', -1n],
    ['  8.10 ', 810n],
    ['\t12\r\n', 1200n],
    ['12.340', 1234n],
    ['0012.00000', 1200n],
  ])('%j is %d cents', (text, cents) => {
    expect(parseCents(text)).toBe(cents);
  });

  it.each([
    '',
    '   ',
    '-',
    '+',
    '.',
    '-.',
    '1,234.00',
    '$5',
    '1.234',
    '12a',
    '1e3',
    '1.2.3',
    '1 2',
    '--1',
    '0x10',
  ])('refuses %j', (text) => {
    expect(parseCents(text)).toBeNull();
  });

  it('keeps amounts exact on both sides of the 13-digit fast path and beyond 2^53', () => {
    expect(parseCents('9999999999999.99')).toBe(999999999999999n);
    expect(parseCents('10000000000000.01')).toBe(1000000000000001n);
    expect(parseCents('90071992547409.93')).toBe(9007199254740993n);
    expect(parseCents('-12345678901234567.8')).toBe(-1234567890123456780n);
  });

  it('reads every amount as the decimal text says, whatever its length', () => {
    const amount = fc.record({
      negative: fc.boolean(),
      whole: fc.stringMatching(/^\d{0,20}$/),
      fraction: fc.stringMatching(/^\d{0,2}$/),
      point: fc.boolean(),
    });
    fc.assert(
      fc.property(amount, ({ negative, whole, fraction, point }) => {
        const decimals = point ? fraction : '';
        const text = `${negative ? '-' : ''}${whole}${point ? '.' : ''}${decimals}`;
        const expected =
          whole === '' && decimals === ''
            ? null
            : (negative ? -1n : 1n) * (BigInt(whole || '0') * 100n + BigInt(decimals.padEnd(2, '0')));
        expect(parseCents(text)).toBe(expected);
      }),
    );
  });
});

describe('centsBetween', () => {
  it('reads the amount in place, between two positions of a longer text', () => {
    const segment = 'CLP*PCN1*1*100.00*60.5**12';
    expect(centsBetween(segment, 11, 17)).toBe(10000n);
    expect(centsBetween(segment, 18, 22)).toBe(6050n);
    expect(centsBetween(segment, 23, 23)).toBeNull();
    expect(centsBetween(segment, 0, 3)).toBeNull();
  });

  it('does not trim: an X12 element is exactly its text', () => {
    expect(centsBetween(' 5', 0, 2)).toBeNull();
  });
});

describe('formatCents', () => {
  it.each([
    [0n, '0.00'],
    [5n, '0.05'],
    [-5n, '-0.05'],
    [-1234n, '-12.34'],
    [221275n, '2212.75'],
    [9007199254740993n, '90071992547409.93'],
  ])('%d cents is %s', (cents, text) => {
    expect(formatCents(cents)).toBe(text);
  });

  it('is the inverse of parseCents', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 17n), max: 10n ** 17n }), (cents) => {
        expect(parseCents(formatCents(cents))).toBe(cents);
      }),
    );
  });
});
