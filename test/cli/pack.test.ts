import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRcm } from '../helpers/run-rcm.ts';

/**
 * `rcm pack`'s arguments, on a site of hand-written files (no Chromium: every case here is refused before
 * printing). The owner pack needs a month; a payer's page covers every month and needs none. Printing itself is
 * checked by test/reports/pages.test.ts on a built site.
 */
describe('rcm pack arguments', () => {
  const site = mkdtempSync(path.join(tmpdir(), 'rcm-pack-args-'));
  mkdirSync(path.join(site, 'owner'), { recursive: true });
  writeFileSync(path.join(site, 'index.html'), '<html></html>');
  writeFileSync(path.join(site, 'owner', 'index.html'), '<a href="/owner/P001/2025-01">P001 2025-01</a>');
  afterAll(() => rmSync(site, { recursive: true, force: true }));

  it('requires --month for the owner pack', () => {
    const r = runRcm(['pack', '--practice', 'P001', '--dir', site]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--month YYYY-MM is required for the owner pack');
  });

  it('takes --payer without --month: past the arguments, to looking for the payer page', () => {
    const r = runRcm(['pack', '--payer', 'MCR', '--practice', 'P001', '--dir', site]);
    expect(r.code).toBe(2);
    // The first line is the refusal; the usage line below it names --month as an alternative.
    expect(r.stderr.split('\n')[0]).toBe(`rcm pack: no page for payer MCR of practice P001 in ${site}`);
  });

  it('still checks a month given with --payer', () => {
    const r = runRcm(['pack', '--payer', 'MCR', '--month', '2025-13', '--dir', site]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('--month: expected YYYY-MM');
  });
});
