import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../etl/generate/index.ts';
import { inspectFile } from '../../etl/x12/inspect.ts';
import { check835, readX12, walk } from './check.ts';

let root: string;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rcm-generate-x12-'));
  await generate({
    outDir: root,
    practices: 2,
    providersPerPractice: 3,
    months: 7,
    visitsPerProviderDay: 4,
    seed: 'x12',
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

const dollars = (c: number) =>
  `${c < 0 ? '-' : ''}${Math.floor(Math.abs(c) / 100)}.${String(Math.abs(c) % 100).padStart(2, '0')}`;

describe('generated X12 through the project parser (etl/x12)', () => {
  it('parses every 835 with no errors or warnings, balanced, with the totals the independent check finds', async () => {
    const files = walk(root).filter((f) => f.endsWith('.835'));
    expect(files.length).toBeGreaterThan(50);
    for (const f of files) {
      const r = await inspectFile(f);
      const mine = check835(readFileSync(f, 'utf8'));
      expect(r.errors, f).toEqual([]);
      expect(r.warnings, f).toEqual([]);
      expect(r.type).toBe('835');
      expect(r.version).toBe('005010X221A1');
      expect(r.balanced, f).toBe(true);
      expect(r.imbalances).toEqual([]);
      expect(r.claims).toBe(mine.claims.length);
      expect(r.total_paid).toBe(dollars(mine.bpr));
      expect(r.claims_paid).toBe(dollars(mine.paid));
      expect(r.plb_total).toBe(dollars(mine.plb));
    }
  });

  it('parses every 277CA and 999 with the acceptance counts the files state', async () => {
    for (const f of walk(root).filter((p) => p.endsWith('.277') || p.endsWith('.999'))) {
      const r = await inspectFile(f);
      expect(r.errors, f).toEqual([]);
      expect(r.warnings, f).toEqual([]);
      const x = readX12(readFileSync(f, 'utf8'));
      if (f.endsWith('.277')) {
        expect(r.type).toBe('277CA');
        const stc = x.segments.filter((s) => s.id === 'STC').slice(1);
        const accepted = stc.filter((s) => (s.el[1] as string).startsWith('A2')).length;
        expect(r.claims, f).toBe(stc.length);
        expect(r.accepted, f).toBe(accepted);
        expect(r.rejected, f).toBe(stc.length - accepted);
      } else {
        expect(r.type).toBe('999');
        const ik5 = x.segments.filter((s) => s.id === 'IK5');
        expect(r.transaction_sets, f).toBe(ik5.length);
        expect(r.rejected, f).toBe(ik5.filter((s) => s.el[1] === 'R').length);
      }
    }
  });
});
