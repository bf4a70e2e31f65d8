import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium, type Page } from 'playwright-core';
import { serveStatic } from './static-server.ts';

/** Debian's chromium: browsers cannot be downloaded here, so playwright drives the system one. */
export const chromiumPath = process.env.RCM_CHROMIUM ?? '/usr/bin/chromium';

/** The flags every headless run uses: no network side-channels, no first-run work, no GPU. */
export const chromiumFlags = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** The practice × month pages the site holds (from the links of its owner index). */
export function ownerPackPages(siteDir: string): { practice: string; month: string }[] {
  const index = [path.join(siteDir, 'owner', 'index.html'), path.join(siteDir, 'owner.html')].find(
    existsSync,
  );
  if (!index) return [];
  const html = readFileSync(index, 'utf8');
  const seen = new Map<string, { practice: string; month: string }>();
  for (const m of html.matchAll(/href="\/owner\/([A-Za-z0-9_.-]+)\/(\d{4}-\d{2})"/g)) {
    const [, practice = '', month = ''] = m;
    seen.set(`${practice}/${month}`, { practice, month });
  }
  return [...seen.values()];
}

/** True when the site holds a prerendered page for this URL path. */
export function sitePageExists(siteDir: string, urlPath: string): boolean {
  const base = path.join(siteDir, ...urlPath.split('/').filter(Boolean));
  return existsSync(path.join(base, 'index.html')) || existsSync(`${base}.html`);
}

/**
 * Makes every request off this machine fail at once: no name and no address (digits included) resolves but
 * 127.0.0.1.
 */
export const offMachineRefused = ['--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'];

/**
 * Returns a wait that resolves once no request of the page has been in flight for `quietMs` (or after
 * `capMs`); requests are counted from the moment this is called.
 */
function networkQuiet(page: Page): (quietMs: number, capMs: number) => Promise<void> {
  let inFlight = 0;
  let lastChange = performance.now();
  const change = (delta: number) => {
    inFlight = Math.max(0, inFlight + delta);
    lastChange = performance.now();
  };
  page.on('request', () => change(1));
  page.on('requestfinished', () => change(-1));
  page.on('requestfailed', () => change(-1));
  return async (quietMs, capMs) => {
    const start = performance.now();
    while (performance.now() - start < capMs) {
      if (inFlight === 0 && performance.now() - lastChange >= quietMs) return;
      await new Promise((done) => setTimeout(done, 100));
    }
  };
}

export interface PrintRequest {
  siteDir: string;
  /** The page to print, e.g. /owner/P001/2025-01 */
  urlPath: string;
  out: string;
  /** Left part of the footer, e.g. "Practice P001 · 2025-01" */
  label: string;
}

/**
 * Serves the built site on 127.0.0.1, opens the page in headless Chromium (fresh profile, every request to
 * another host refused) and prints it to `out` as A4/Letter-neutral PDF with a footer: label, data freshness
 * (read from the page's `[data-freshness]` element) and page numbers. Returns what was refused, if anything.
 */
export async function printPage(request: PrintRequest): Promise<{ blocked: string[]; freshness: string }> {
  const site = await serveStatic(request.siteDir, 0);
  const profile = mkdtempSync(path.join(tmpdir(), 'rcm-pack-profile-'));
  const blocked: string[] = [];
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: [...chromiumFlags, ...offMachineRefused],
    viewport: { width: 1200, height: 1600 },
  });
  try {
    // Watched, not intercepted: routing every request through this process (Playwright also turns the browser
    // cache off for routed requests) made a print several times slower. `offMachineRefused` fails them instead.
    context.on('request', (r) => {
      const url = new URL(r.url());
      if (url.hostname !== '127.0.0.1' && url.protocol !== 'data:' && url.protocol !== 'blob:')
        blocked.push(url.href);
    });
    const page = context.pages()[0] ?? (await context.newPage());
    const quiet = networkQuiet(page);
    await page.emulateMedia({ media: 'print' });
    await page.goto(new URL(request.urlPath.replace(/^\//, ''), site.url).href, {
      waitUntil: 'load',
      timeout: 120_000,
    });
    // The page fetches its query results after it hydrates, which can be after Playwright's `networkidle`.
    await quiet(750, 60_000);
    // Charts draw (and animate) once their data is in; give them their frames, and the fonts theirs.
    await page.evaluate(async () => {
      await (globalThis as unknown as { document: { fonts: { ready: Promise<unknown> } } }).document.fonts
        .ready;
      await new Promise((done) => setTimeout(done, 1500));
    });
    const marker = page.locator('[data-freshness]').first();
    const freshness =
      (await marker.count()) > 0 ? ((await marker.textContent()) ?? '').replace(/\s+/g, ' ').trim() : '';
    const footer = `${request.label}${freshness ? ` · ${freshness}` : ''}`;
    await page.pdf({
      path: request.out,
      format: 'Letter',
      printBackground: true,
      displayHeaderFooter: true,
      headerTemplate: '<span></span>',
      footerTemplate: `<div style="font-size:8px;width:100%;padding:0 12mm;display:flex;justify-content:space-between;font-family:sans-serif;color:#444"><span>${escapeHtml(footer)}</span><span>page <span class="pageNumber"></span> of <span class="totalPages"></span></span></div>`,
      margin: { top: '12mm', bottom: '16mm', left: '10mm', right: '10mm' },
    });
    return { blocked, freshness };
  } finally {
    await context.close();
    await new Promise((done) => site.server.close(done));
    rmSync(profile, { recursive: true, force: true });
  }
}

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
