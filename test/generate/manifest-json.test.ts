import { describe, expect, it } from 'vitest';
import { asJson } from '../../etl/generate/manifest.ts';

describe('asJson (the manifest as JSON)', () => {
  it('makes every bigint the JSON integer with the same digits and leaves everything else', () => {
    const value = {
      month: '2026-01',
      pm: { charges_cents: 123_456n, claims: 3 },
      cas: [-250n, 0n],
      note: null,
    };
    expect(asJson(value)).toEqual({
      month: '2026-01',
      pm: { charges_cents: 123456, claims: 3 },
      cas: [-250, 0],
      note: null,
    });
    expect(JSON.stringify(asJson({ a: 9_007_199_254_740_991n }))).toBe('{"a":9007199254740991}');
  });

  it('refuses an amount a JSON reader could not hold exactly', () => {
    expect(() => asJson({ a: 9_007_199_254_740_992n })).toThrow(/too large/);
    expect(() => asJson([-(2n ** 60n)])).toThrow(/too large/);
  });
});
