// The report pages built from a generated two-practice warehouse, checked in headless Chromium: every page
// renders without errors or failed requests and stays on 127.0.0.1, the owner pack's headline numbers equal
// kpi_monthly (queried here, formatted here), the claims behind a headline add up to it, a claim page shows its
// facts' files, `rcm pack` prints a PDF whose text holds the headline numbers, and no canary PHI value reaches
// the site or the PDFs.
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { type Browser, chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { chromiumFlags, chromiumPath } from '../../etl/pipeline/pack.ts';
import { serveStatic } from '../../etl/pipeline/static-server.ts';
import { canaryHits } from '../helpers/canary-scan.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';
import { buildReports, walk } from './helpers.ts';

const usd = new Intl.NumberFormat('en-US', { style: 'currency', currency: 'USD', minimumFractionDigits: 2 });
/** An exact decimal (as DuckDB prints it) × 10^shift, rounded half up to `digits` places, as the pages show it. */
function roundDecimal(value: string, shift: number, digits: number): string {
  const negative = value.startsWith('-');
  const [whole = '0', fraction = ''] = value.replace('-', '').split('.');
  const scale = fraction.length;
  const units = BigInt(whole + fraction); // value × 10^scale
  const drop = scale - shift - digits; // places to remove
  const rounded =
    drop > 0 ? (units + 5n * 10n ** BigInt(drop - 1)) / 10n ** BigInt(drop) : units * 10n ** BigInt(-drop);
  const text = rounded.toString().padStart(digits + 1, '0');
  const out = digits > 0 ? `${text.slice(0, -digits)}.${text.slice(-digits)}` : text;
  return negative && rounded !== 0n ? `-${out}` : out;
}
const pct = (v: string) => `${roundDecimal(v, 2, 1)}%`;
const days = (v: string) => roundDecimal(v, 0, 1);

type Kpi = {
  practice_id: string;
  month_key: string;
  gross_charges: number;
  total_payments: number;
  ar_total: number;
  ar_over_90_pct: string | null;
  days_in_ar: string | null;
  net_collection_rate_t90: string | null;
};

const hasChromium = existsSync(chromiumPath);
if (!hasChromium) console.warn(`[reports] SKIPPING page checks: ${chromiumPath} is missing`);

describe.runIf(hasChromium)('report pages from a generated two-practice warehouse', () => {
  const wh = tempWarehouse('pages');
  const inbox = path.join(wh.dir, 'inbox');
  const site = path.join(wh.dir, 'site');
  const pdfDir = path.join(wh.dir, 'pdf');
  let manifest: Manifest;
  let kpis: Kpi[] = [];
  let arOver90: Map<string, number>;
  let sampleClaim: { practice_id: string; claim_id: string; file_name: string; position: number };
  let built = { status: null as number | null, output: '' };
  let server: Awaited<ReturnType<typeof serveStatic>> | undefined;
  let browser: Browser | undefined;

  beforeAll(async () => {
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '2',
      '--providers',
      '1',
      '--months',
      '3',
      '--visits',
      '1',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(inbox, 'manifest.json'), 'utf8'));
    const load = runRcm(['load', inbox, '--warehouse', wh.database]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    const dbt = runRcm(['transform', '--warehouse', wh.database]);
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);

    const db = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    try {
      const rows = async (sql: string) => (await conn.runAndReadAll(sql)).getRowObjectsJS();
      kpis = (await rows(`
        select practice_id, strftime(month, '%Y-%m') as month_key,
               gross_charges::double as gross_charges,
               (payer_payments + patient_payments)::double as total_payments,
               ar_total::double as ar_total, ar_over_90_pct::varchar as ar_over_90_pct,
               days_in_ar::varchar as days_in_ar, net_collection_rate_t90::varchar as net_collection_rate_t90
        from marts.kpi_monthly order by 1, 2`)) as Kpi[];
      // The claims-level A/R over 90 days, summed here from the snapshots the drill-down lists.
      arOver90 = new Map(
        (
          await rows(`
          select practice_id || '/' || strftime(snapshot_month, '%Y-%m') as k, sum(balance)::double as v
          from marts.ar_snapshots where is_month_end and aging_bucket in ('91-120', '>120') group by 1`)
        ).map((r) => [String(r.k), Number(r.v)]),
      );
      sampleClaim = (
        await rows(`
        select practice_id, claim_id, file_name, position::integer as position
        from marts.claim_fact_origins where fact = '835 claim payment' order by practice_id, claim_id limit 1`)
      )[0] as typeof sampleClaim;
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
    built = buildReports(wh.database, site);
    if (built.status === 0) {
      server = await serveStatic(site, 0);
      browser = await chromium.launch({
        executablePath: chromiumPath,
        args: [...chromiumFlags, '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1'],
      });
    }
  }, 1_500_000);

  afterAll(async () => {
    await browser?.close();
    if (server) await new Promise((done) => server?.server.close(done));
    wh.remove();
  });

  /**
   * An empty mart's Parquet file, which Evidence lists but never writes (it writes `<query>.schema.json`
   * instead): the offline patch still asks for it once before reading the schema (known, reports/README.md).
   */
  function isEmptyMartParquet(url: string): boolean {
    const m = /\/data\/warehouse\/([a-z_0-9]+)\/\1\.parquet$/.exec(new URL(url).pathname);
    if (!m) return false;
    const dir = path.join(site, 'data', 'warehouse', m[1] ?? '');
    return (
      existsSync(path.join(dir, `${m[1]}.schema.json`)) && !existsSync(path.join(dir, `${m[1]}.parquet`))
    );
  }

  /**
   * A page whose queries all wait for inputs (the claim page) has no prerendered queries, so Evidence writes no
   * `all-queries.json` for it; its layout asks anyway and reads a 404 as "none" (template +layout.js).
   */
  function isMissingQueryList(url: string): boolean {
    const { pathname } = new URL(url);
    return (
      /^\/api\/[0-9a-f]{32}\/[0-9a-f]{32}\/all-queries\.json$/.test(pathname) &&
      !existsSync(path.join(site, pathname))
    );
  }

  /** Opens a page with every off-machine request refused; returns what went wrong on it. */
  async function visit(urlPath: string, check?: (page: import('playwright-core').Page) => Promise<void>) {
    if (!browser || !server) throw new Error('site not built');
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    await context.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname === '127.0.0.1' || url.protocol === 'data:' || url.protocol === 'blob:')
        return route.continue();
      problems.push(`off-machine request ${url.href}`);
      return route.abort('blockedbyclient');
    });
    const page = await context.newPage();
    page.on('pageerror', (e) => problems.push(`page error ${e}`));
    const consoleErrors: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error') consoleErrors.push(m.text());
    });
    const answered = new Set<string>();
    let tolerated404 = 0;
    page.on('requestfailed', (r) => {
      // Evidence stops reading a prerendered query's Arrow file once it has what it needs: the server answered
      // 200 and the browser then dropped the rest (ERR_ABORTED). Anything else is a failure.
      if (r.failure()?.errorText === 'net::ERR_ABORTED' && answered.has(r.url())) return;
      problems.push(`failed ${r.url()} ${r.failure()?.errorText}`);
    });
    page.on('response', (r) => {
      if (r.status() < 400) answered.add(r.url());
      else if (isEmptyMartParquet(r.url()) || isMissingQueryList(r.url())) tolerated404 += 1;
      else problems.push(`HTTP ${r.status()} ${r.url()}`);
    });
    try {
      await page.goto(new URL(urlPath.replace(/^\//, ''), server.url).href, { waitUntil: 'load' });
      await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
      // Evidence marks a component whose query or props failed with an inline error.
      const componentErrors = await page.getByText(/^Error in |Dataset is empty/).count();
      if (componentErrors > 0) problems.push(`${componentErrors} component error(s)`);
      await check?.(page);
      // The browser's own line for each tolerated 404 is the only console error allowed.
      const notFound = 'Failed to load resource: the server responded with a status of 404 (Not Found)';
      let tolerated = tolerated404;
      for (const text of consoleErrors) {
        if (text === notFound && tolerated > 0) tolerated -= 1;
        else problems.push(`console error ${text}`);
      }
    } finally {
      await context.close();
    }
    return problems;
  }

  /** The PDF's page count and text; the text is also written beside it, so the canary scan reads it decoded. */
  async function pdfText(file: string): Promise<{ pages: number; text: string }> {
    const { getDocument } = await import('pdfjs-dist/legacy/build/pdf.mjs');
    const pdf = await getDocument({ data: new Uint8Array(readFileSync(file)) }).promise;
    let text = '';
    for (let i = 1; i <= pdf.numPages; i += 1) {
      const content = await (await pdf.getPage(i)).getTextContent();
      text += `${content.items.map((item) => ('str' in item ? item.str : '')).join(' ')}\n`;
    }
    writeFileSync(`${file}.txt`, text);
    return { pages: pdf.numPages, text };
  }

  it('builds the site', () => {
    expect(built.status, built.output.slice(-6000)).toBe(0);
  });

  it('renders every page without errors, failed requests or requests off this machine', async () => {
    const pages = walk(site)
      .filter((f) => f.endsWith('.html'))
      .map(
        (f) =>
          `/${path
            .relative(site, f)
            .replace(/(^|\/)index\.html$/, '')
            .replace(/\.html$/, '')}`,
      )
      .filter((p) => !p.startsWith('/explore') && !p.startsWith('/settings'));
    expect(pages).toEqual(expect.arrayContaining(['/', '/owner', '/vendor', '/payers', '/claim']));
    const owner = pages.filter((p) => /^\/owner\/[^/]+\/\d{4}-\d{2}$/.test(p));
    const drill = pages.filter((p) => /^\/owner\/[^/]+\/\d{4}-\d{2}\/claims$/.test(p));
    // Every practice × month of kpi_monthly has its pack and its claims page.
    const expected = kpis.map((k) => `/owner/${k.practice_id}/${k.month_key}`).sort();
    expect(owner.sort()).toEqual(expected);
    expect(drill.sort()).toEqual(expected.map((p) => `${p}/claims`));
    expect(pages.filter((p) => p.startsWith('/payers/')).length).toBeGreaterThanOrEqual(4);
    expect(pages.filter((p) => p.startsWith('/vendor/')).sort()).toEqual(
      manifest.practices.map((p) => `/vendor/${p.practice_id}`).sort(),
    );

    const problems: string[] = [];
    for (const p of pages) {
      const found = await visit(p, async (page) => {
        if (p.startsWith('/owner/') && !p.endsWith('/claims')) {
          const month = p.split('/')[3] ?? '';
          const hasCharges = kpis.some(
            (k) => `/owner/${k.practice_id}/${k.month_key}` === p && k.gross_charges > 0,
          );
          // Charts render as SVG once drawn; tables render rows.
          const charts = page.locator('.chart svg, [class*="chart"] svg');
          const deadline = Date.now() + 30_000;
          while (hasCharges && (await charts.count()) < 3 && Date.now() < deadline)
            await page.waitForTimeout(250);
          if (hasCharges && (await charts.count()) < 3)
            problems.push(`${p}: ${await charts.count()} charts for ${month}`);
        }
        if (p === '/owner') {
          const links = await page.locator('a[href^="/owner/"]').count();
          if (links !== kpis.length) problems.push(`/owner: ${links} month links for ${kpis.length} months`);
        } else if (p !== '/claim') {
          const tables = await page.locator('table').count();
          if (tables === 0) problems.push(`${p}: no table`);
        }
      });
      problems.push(...found.map((f) => `${p}: ${f}`));
    }
    expect(problems, problems.join('\n')).toEqual([]);
  }, 900_000);

  it('shows the headline numbers of kpi_monthly on every owner pack, each linking to the claims behind it', async () => {
    expect(kpis.length).toBeGreaterThanOrEqual(4);
    const mismatches: string[] = [];
    for (const k of kpis) {
      const urlPath = `/owner/${k.practice_id}/${k.month_key}`;
      const expected: Record<string, string> = {
        gross_charges: usd.format(k.gross_charges),
        total_payments: usd.format(k.total_payments),
        ar_total: usd.format(k.ar_total),
        ...(k.ar_over_90_pct === null ? {} : { ar_over_90_pct: pct(k.ar_over_90_pct) }),
        ...(k.days_in_ar === null ? {} : { days_in_ar: days(k.days_in_ar) }),
        ...(k.net_collection_rate_t90 === null
          ? {}
          : { net_collection_rate_t90: pct(k.net_collection_rate_t90) }),
      };
      await visit(urlPath, async (page) => {
        for (const [kpi, value] of Object.entries(expected)) {
          const link = page.locator(`[data-kpi="${kpi}"] a`).first();
          const shown = ((await link.textContent()) ?? '').trim();
          if (shown !== value) mismatches.push(`${urlPath} ${kpi}: page ${shown}, kpi_monthly ${value}`);
          const href = (await link.getAttribute('href')) ?? '';
          if (!href.startsWith(`${urlPath}/claims#`)) mismatches.push(`${urlPath} ${kpi}: links to ${href}`);
        }
      });
    }
    expect(mismatches, mismatches.join('\n')).toEqual([]);
  }, 600_000);

  it('lists claims that add up to the headline A/R figures', async () => {
    const k = kpis.find((row) => (arOver90.get(`${row.practice_id}/${row.month_key}`) ?? 0) > 0) ?? kpis[0];
    if (!k) throw new Error('no kpi rows');
    const over90 = arOver90.get(`${k.practice_id}/${k.month_key}`) ?? 0;
    await visit(`/owner/${k.practice_id}/${k.month_key}/claims`, async (page) => {
      const big = async (title: string) =>
        (
          (await page
            .locator('p', { hasText: new RegExp(`^\\s*${title}\\s*$`) })
            .first()
            .locator('xpath=following-sibling::div[1]')
            .textContent()) ?? ''
        ).trim();
      expect(await big('Total A/R')).toBe(usd.format(k.ar_total));
      expect(await big('A/R over 90 days')).toBe(usd.format(over90));
      // A/R over 90 days as a share, recomputed from the claims, equals the pack's percentage.
      if (k.ar_over_90_pct !== null)
        expect(Math.abs(over90 / k.ar_total - Number(k.ar_over_90_pct))).toBeLessThan(0.000001);
    });
  }, 300_000);

  it('shows a claim with the file and segment each of its facts came from', async () => {
    const { practice_id, claim_id, file_name, position } = sampleClaim;
    const problems = await visit(`/claim?practice=${practice_id}&claim=${claim_id}`, async (page) => {
      await page.getByRole('heading', { name: `Claim ${claim_id} — practice ${practice_id}` }).waitFor();
      await page.getByRole('row').filter({ hasText: 'Date of service', visible: true }).first().waitFor();
      const row = page.getByRole('row').filter({ hasText: file_name, visible: true }).first();
      await row.waitFor({ timeout: 60_000 });
      expect(await row.textContent()).toContain(String(position));
    });
    expect(problems, problems.join('\n')).toEqual([]);
  }, 300_000);

  it('prints the owner pack and a payer page with rcm pack; the PDF holds the headline numbers', async () => {
    const k = kpis.filter((row) => row.gross_charges > 0).at(-1);
    if (!k) throw new Error('no month with charges');
    mkdirSync(pdfDir, { recursive: true });
    const out = path.join(pdfDir, 'pack.pdf');
    const started = Date.now();
    const packed = runRcm([
      'pack',
      '--month',
      k.month_key,
      '--practice',
      k.practice_id,
      '--dir',
      site,
      '--out',
      out,
    ]);
    expect(packed.code, packed.stdout + packed.stderr).toBe(0);
    console.info(`[reports] rcm pack: ${((Date.now() - started) / 1000).toFixed(1)} s`);
    const { pages, text } = await pdfText(out);
    // Sections start on their own pages: headline, trends, aging, mix, what moved, methods at least.
    expect(pages).toBeGreaterThanOrEqual(6);
    expect(text).toContain(`Practice ${k.practice_id} · ${k.month_key}`);
    expect(text).toContain(`page 1 of ${pages}`);
    expect(text).toContain('Data loaded up to');
    for (const value of [usd.format(k.gross_charges), usd.format(k.total_payments), usd.format(k.ar_total)])
      expect(text).toContain(value);

    const payerOut = path.join(pdfDir, 'payer.pdf');
    const payer = runRcm([
      'pack',
      '--month',
      k.month_key,
      '--practice',
      k.practice_id,
      '--payer',
      'MCR',
      '--dir',
      site,
      '--out',
      payerOut,
    ]);
    expect(payer.code, payer.stdout + payer.stderr).toBe(0);
    expect((await pdfText(payerOut)).text).toContain(`Payer MCR — practice ${k.practice_id}`);

    const noMonth = runRcm(['pack', '--practice', k.practice_id, '--dir', site]);
    expect(noMonth.code).toBe(2);
    expect(noMonth.stderr).toContain('--month YYYY-MM is required');
    const noPage = runRcm(['pack', '--month', '1999-01', '--practice', k.practice_id, '--dir', site]);
    expect(noPage.code).toBe(2);
    expect(noPage.stderr).toContain(k.month_key);
  }, 300_000);

  it('keeps every canary PHI value out of the built site and the PDFs', async () => {
    const values = manifest.canaries.map((c) => c.value);
    expect((await canaryHits([inbox], values)).length).toBeGreaterThan(0);
    // The PDFs' text, decoded (their streams are compressed), sits beside them.
    expect(existsSync(path.join(pdfDir, 'pack.pdf.txt'))).toBe(true);
    expect(await canaryHits([site, pdfDir], values)).toEqual([]);
  }, 300_000);
});
