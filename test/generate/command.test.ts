import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { generateCommand } from '../../etl/cli/commands/generate.ts';

const root = mkdtempSync(join(tmpdir(), 'rcm-generate-cmd-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('rcm generate (generateCommand)', () => {
  it('writes an inbox and a manifest with the options it was given', async () => {
    const out = join(root, 'inbox');
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    const code = await generateCommand([
      '--out',
      out,
      '--practices',
      '2',
      '--providers',
      '2',
      '--months',
      '2',
      '--start',
      '2025-01-01',
      '--as-of',
      '2025-03-31',
      '--seed',
      '7',
      '--dialects',
      'compact,ledger',
      '--visits',
      '2',
      '--json',
    ]);
    const printed = write.mock.calls.map((c) => String(c[0])).join('');
    write.mockRestore();
    expect(code).toBe(0);
    const summary = JSON.parse(printed);
    expect(summary.practices).toBe(2);
    const manifest = JSON.parse(readFileSync(join(out, 'manifest.json'), 'utf8'));
    expect(manifest.seed).toBe('7');
    expect(manifest.period).toEqual({ start: '2025-01-01', end: '2025-02-28', as_of: '2025-03-31' });
    expect(manifest.practices.map((p: { pm_dialect: string }) => p.pm_dialect)).toEqual([
      'compact',
      'ledger',
    ]);
    expect(existsSync(join(out, 'P001', 'pm', 'charges_2025_01.csv'))).toBe(true);
    expect(existsSync(join(out, 'P002', 'pm', 'charges_202501.csv'))).toBe(true);
    expect(manifest.totals.at(-1).month).toBe('2025-03');
  });

  it('rejects bad arguments with a message', async () => {
    await expect(generateCommand([])).rejects.toThrow(/usage: rcm generate/);
    await expect(generateCommand(['--out', join(root, 'x'), '--months', 'two'])).rejects.toThrow(/--months/);
    await expect(generateCommand(['--out', join(root, 'y'), '--dialects', 'fancy'])).rejects.toThrow();
    await expect(generateCommand(['--out', join(root, 'z'), '--as-of', '2020-01-01'])).rejects.toThrow(
      /before/,
    );
  });
});
