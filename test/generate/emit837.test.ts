import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Manifest } from '../../etl/generate/index.ts';
import { readX12, walk } from './check.ts';

let root: string;
let manifest: Manifest;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rcm-generate-837-'));
  manifest = await generate({
    outDir: root,
    practices: 1,
    providersPerPractice: 3,
    months: 3,
    visitsPerProviderDay: 4,
    seed: '837',
    emit837: true,
  });
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('optional 837P batches', () => {
  it('writes one 837P per batch that its 999 acknowledges, one claim per submission', () => {
    const batches = walk(join(root, 'P001', 'submitted')).filter((f) => f.endsWith('.837'));
    expect(batches.length).toBeGreaterThan(20);
    const perMonth = new Map<string, number>();
    for (const f of batches) {
      const x = readX12(readFileSync(f, 'utf8'));
      expect(x.errors, f).toEqual([]);
      const gs = x.segments.find((s) => s.id === 'GS')?.el as string[];
      expect(gs[8]).toBe('005010X222A1');
      const sts = x.segments.filter((s) => s.id === 'ST').map((s) => s.el[2]);
      const clm = x.segments.filter((s) => s.id === 'CLM');
      const date = gs[4] as string;
      const month = `${date.slice(0, 4)}-${date.slice(4, 6)}`;
      perMonth.set(month, (perMonth.get(month) ?? 0) + clm.length);
      // The 999 of the same batch acknowledges this group and its transaction sets.
      const batchId = basename(f)
        .replace(/^837P_\d{8}_/, '')
        .replace('.837', '');
      const ack = walk(join(root, 'P001', 'clearinghouse')).find((p) =>
        p.endsWith(`_${batchId}.999`),
      ) as string;
      const a = readX12(readFileSync(ack, 'utf8'));
      expect(a.segments.find((s) => s.id === 'AK1')?.el[2]).toBe(gs[6]);
      expect(a.segments.filter((s) => s.id === 'AK2').map((s) => s.el[2])).toEqual(sts);
      // Every service line's charges add up to its claim's charge.
      let claimCharge = 0;
      let lines = 0;
      for (const s of x.segments) {
        if (s.id === 'CLM') {
          expect(lines).toBe(claimCharge);
          claimCharge = Math.round(Number(s.el[2]) * 100);
          lines = 0;
        }
        if (s.id === 'SV1') lines += Math.round(Number(s.el[2]) * 100);
      }
      expect(lines).toBe(claimCharge);
    }
    for (const t of manifest.totals) {
      expect(perMonth.get(t.month) ?? 0, t.month).toBe(t.clearinghouse.submissions);
    }
  });
});
