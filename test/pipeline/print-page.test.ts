import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { printPage } from '../../etl/pipeline/pack.ts';

/** The PDF printer behind `rcm pack`, on a hand-written page: what it prints, and what it refuses to fetch. */
describe('printPage', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rcm-print-'));
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('prints the page once its late fetches are done, and reports every off-machine request', async () => {
    const site = path.join(root, 'site');
    mkdirSync(path.join(site, 'owner', 'P001'), { recursive: true });
    writeFileSync(path.join(site, 'index.html'), '<p>home</p>');
    writeFileSync(path.join(site, 'late.json'), JSON.stringify({ figure: 'Days in A/R 41.2' }));
    writeFileSync(
      path.join(site, 'owner', 'P001', '2025-01.html'),
      `<!doctype html><title>pack</title>
<p>Net collection 96.5%</p>
<p data-freshness>Data as of 2025-02-03</p>
<p id="late">waiting</p>
<img src="http://example.org/pixel.png" alt="">
<img src="http://192.0.2.7/p.png" alt="">
<script>
  // like the report pages, the figures arrive from local files after the page has loaded; here in five fetches
  // 600 ms apart, so the figure is in only if the printer waits for the network to be quiet, not a fixed time
  const step = (i) =>
    fetch('/late.json?step=' + i).then((r) => r.json()).then((j) => {
      if (i < 5) setTimeout(() => step(i + 1), 600);
      else document.getElementById('late').textContent = j.figure;
    });
  addEventListener('load', () => setTimeout(() => step(1), 300));
</script>`,
    );
    const out = path.join(root, 'pack.pdf');
    const result = await printPage({
      siteDir: site,
      urlPath: '/owner/P001/2025-01',
      out,
      label: 'Practice P001 · 2025-01',
    });

    // a name that must not resolve, and an address written as digits (TEST-NET-1, RFC 5737): both refused
    expect([...result.blocked].sort()).toEqual(['http://192.0.2.7/p.png', 'http://example.org/pixel.png']);
    expect(result.freshness).toBe('Data as of 2025-02-03');

    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(out)) }).promise;
    expect(pdf.numPages).toBe(1);
    const content = await (await pdf.getPage(1)).getTextContent();
    const text = content.items.map((item) => ('str' in item ? item.str : '')).join(' ');
    expect(text).toContain('Net collection 96.5%');
    expect(text).toContain('Days in A/R 41.2');
    expect(text).not.toContain('waiting');
    expect(text).toContain('Practice P001 · 2025-01 · Data as of 2025-02-03');
    expect(text).toMatch(/page\s+1\s+of\s+1/);
  }, 60_000);
});
