import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  absCents,
  applyRate,
  centsBetween,
  centsOf,
  formatCents,
  maxCents,
  minCents,
  parseCents,
  roundToUnit,
  scaleCents,
  sumCents,
} from '../etl/money.ts';

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

describe('applyRate', () => {
  it.each([
    // 92.00 at 83 % is 76.36 exactly
    [9_200n, 8_300, 7_636n],
    // 10.05 at 50 % is 5.025: half a cent rounds up
    [1_005n, 5_000, 503n],
    [1_004n, 5_000, 502n],
    // 3.33 × 33.33 % = 1.109889
    [333n, 3_333, 111n],
    [12_345n, 2_000, 2_469n],
    // negative amounts round half toward +∞: -5.025 → -5.02, -5.035 → -5.03
    [-1_005n, 5_000, -502n],
    [-1_007n, 5_000, -503n],
    [-1_004n, 5_000, -502n],
    [0n, 8_300, 0n],
    // a 2 % sequestration of 81.25 is 1.625 → 1.63
    [8_125n, 200, 163n],
  ])('%d cents at %d bp is %d cents', (cents, bp, expected) => {
    expect(applyRate(cents, bp)).toBe(expected);
  });

  it('is exact past 2^53 cents', () => {
    expect(applyRate(10n ** 20n, 10_000)).toBe(10n ** 20n);
    // 123456789012345678901 / 2 = 61728394506172839450.5 → half up
    expect(applyRate(123_456_789_012_345_678_901n, 5_000n)).toBe(61_728_394_506_172_839_451n);
  });

  it('refuses a rate that is not whole basis points', () => {
    expect(() => applyRate(100n, 1.5)).toThrow(/basis points/);
    expect(() => applyRate(100n, Number.NaN)).toThrow(/basis points/);
  });
});

describe('scaleCents', () => {
  it.each([
    // 240.00 × 1/4, to whole dollars: 60.00
    [24_000n, 0.25, 100n, 6_000n],
    [24_000n, 0.5, 1n, 12_000n],
    // half a cent rounds up; 1.5 cents rounds to 2
    [1n, 0.5, 1n, 1n],
    [3n, 0.5, 1n, 2n],
    // 2.50 to whole dollars is 3.00, 2.49 is 2.00
    [250n, 1, 100n, 300n],
    [249n, 1, 100n, 200n],
    // the double 0.1 is a little above 0.1: 1000.00 × it is 100.00 and a tiny fraction of a cent
    [100_000n, 0.1, 100n, 10_000n],
    [100n, -0.25, 1n, -25n],
    // -0.5 cents rounds half toward +∞, to 0
    [1n, -0.5, 1n, 0n],
    [12_345n, 0, 100n, 0n],
  ])('%d cents × %d to a multiple of %d is %d', (cents, fraction, unit, expected) => {
    expect(scaleCents(cents, fraction, unit)).toBe(expected);
  });

  it('takes the fraction as the binary number it is, where double arithmetic rounds twice', () => {
    // The double 0.7 is 3152519739159347 / 2^52 = 0.69999999999999995559…, so 5 × it is 3.4999999999999997779…
    // cents: 3 cents exactly. 5 * 0.7 in doubles rounds to 3.5, and Math.round gives 4.
    expect(0.7 * 2 ** 52).toBe(3152519739159347);
    expect(scaleCents(5n, 0.7)).toBe(3n);
    expect(Math.round(5 * 0.7)).toBe(4);
  });

  it('refuses a fraction that is not finite or a unit that is not positive', () => {
    expect(() => scaleCents(100n, Number.POSITIVE_INFINITY)).toThrow(/finite/);
    expect(() => scaleCents(100n, Number.NaN)).toThrow(/finite/);
    expect(() => scaleCents(100n, 0.5, 0n)).toThrow(/unit/);
  });
});

describe('roundToUnit, minCents, maxCents, sumCents, absCents, centsOf', () => {
  it('rounds to a multiple of a unit, half up', () => {
    expect(roundToUnit(150n, 100n)).toBe(200n);
    expect(roundToUnit(149n, 100n)).toBe(100n);
    expect(roundToUnit(-150n, 100n)).toBe(-100n);
    expect(roundToUnit(-151n, 100n)).toBe(-200n);
    expect(roundToUnit(7_300n, 100n)).toBe(7_300n);
    expect(() => roundToUnit(1n, 0n)).toThrow(/unit/);
  });

  it('compares, sums and drops signs exactly', () => {
    expect(minCents(-1n, 1n)).toBe(-1n);
    expect(maxCents(-1n, 1n)).toBe(1n);
    expect(minCents(5n, 5n)).toBe(5n);
    expect(sumCents([])).toBe(0n);
    expect(sumCents([1_005n, -5n, 2n ** 60n])).toBe(1_152_921_504_606_847_976n);
    expect(absCents(-1_234n)).toBe(1_234n);
    expect(absCents(0n)).toBe(0n);
  });

  it('takes a whole number of cents drawn as a number, and refuses anything else', () => {
    expect(centsOf(8_000)).toBe(8_000n);
    expect(centsOf(-3)).toBe(-3n);
    expect(() => centsOf(1.5)).toThrow(/whole number/);
    expect(() => centsOf(2 ** 53)).toThrow(/whole number/);
  });
});
