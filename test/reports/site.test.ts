// Builds the report site from a warehouse the real pipeline made (rcm load + rcm transform on public 835s split
// over two practices), then checks the output offline:
// (b) the number reaches the built HTML and data, and no built asset would fetch from off this machine;
// (c) headless Chromium renders the page, with every request to another host blocked and recorded,
//     and the in-browser DuckDB answers a query from the shipped data.
import { spawnSync } from 'node:child_process';
import {
  copyFileSync,
  cpSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../etl/pipeline/static-server.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { buildReports, canStrace, offMachineConnects, readText, repoRoot, walk } from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/rcm-reports-index.png';

// Hand-checked from the files (test/fixtures/public-inbox/README.md): P001 gets managed-care.835 (BPR02 945.00)
// and secondary-payment.835 (1222.00) = 2167.00; P002 gets profee.835 (45.75); together 2212.75.
const publicInbox = join(repoRoot, 'test/fixtures/public-inbox/inbox/P001/era');
const practiceFiles: Record<string, string[]> = {
  P001: ['managed-care.835', 'secondary-payment.835'],
  P002: ['profee.835'],
};

// Hosts that built code only ever names in order to download from them.
const FETCH_HOSTS =
  /extensions\.duckdb\.org|cdn\.jsdelivr\.net|unpkg\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|cdnjs\.cloudflare\.com|esm\.sh|cdn\.skypack\.dev|cdn\.segment\.com|api\.segment\.io/;
const EXTERNAL = String.raw`https?:\/\/(?!127\.0\.0\.1[:/"'\s)]|localhost[:/"'\s)])`;
// Places where an absolute URL is fetched rather than merely shown or linked to.
const FETCH_CONTEXTS: Record<string, RegExp[]> = {
  '.html': [
    new RegExp(
      String.raw`<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*\ssrc\s*=\s*["']?${EXTERNAL}`,
      'i',
    ),
    new RegExp(String.raw`<link\b[^>]*\shref\s*=\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`\ssrcset\s*=\s*["'][^"']*${EXTERNAL}`, 'i'),
    new RegExp(String.raw`<object\b[^>]*\sdata\s*=\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`@import\s+["']${EXTERNAL}`, 'i'),
  ],
  '.css': [
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`@import\s+["']${EXTERNAL}`, 'i'),
  ],
  '.js': [
    new RegExp(
      String.raw`\b(?:fetch|import|importScripts|Worker|SharedWorker|EventSource|WebSocket|sendBeacon)\s*\(\s*["'\`]${EXTERNAL}`,
    ),
    new RegExp(String.raw`\bnew\s+URL\s*\(\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\bfrom\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\.open\s*\(\s*["'\`][A-Z]+["'\`]\s*,\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\.src\s*=\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`),
  ],
  '.json': [new RegExp(String.raw`"(?:src|url|href|start_url|scope)"\s*:\s*"${EXTERNAL}`)],
  '.webmanifest': [new RegExp(String.raw`"(?:src|url|start_url|scope)"\s*:\s*"${EXTERNAL}`)],
};
const TEXT_EXTENSIONS = new Set([
  '.html',
  '.js',
  '.mjs',
  '.cjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
]);

let workDir = '';
let buildDir = '';
let built = false;
let buildOutput = '';
let connectLog: string | undefined;
let cacheDir = '';

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'rcm-reports-'));
  buildDir = join(workDir, 'site');
  cacheDir = join(workDir, 'compile-cache');
}, 60_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('report site built offline', () => {
  beforeAll(async () => {
    const warehouse = join(workDir, 'rcm.duckdb');
    const inbox = join(workDir, 'inbox');
    for (const [practice, files] of Object.entries(practiceFiles)) {
      mkdirSync(join(inbox, practice), { recursive: true });
      for (const file of files) copyFileSync(join(publicInbox, file), join(inbox, practice, file));
    }
    // One file that cannot load: the report must list it, quarantined, and count none of it.
    writeFileSync(join(inbox, 'P002', 'truncated.835'), 'ISA*00*          *00*          *ZZ*SENDER');
    const load = runRcm(['load', inbox, '--warehouse', warehouse]);
    expect(load.code, load.stdout + load.stderr).toBe(3); // 3: a file was quarantined
    expect(load.stdout).toContain('loaded 3, already loaded 0, quarantined 1');
    const dbt = runRcm(['transform', '--warehouse', warehouse]);
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
    // Where strace works, the build is traced: it must not open a single connection off this machine.
    connectLog = canStrace() ? join(workDir, 'connect.strace') : undefined;
    if (!connectLog) console.warn('[reports] strace unavailable: the build runs untraced');
    // A private compile cache: this build compiles (a miss), the one in "compile cache" below reuses it.
    const r = buildReports(warehouse, buildDir, connectLog, { RCM_REPORTS_CACHE: cacheDir });
    buildOutput = r.output;
    built = r.status === 0;
  }, 1_500_000);

  it('builds with scripts/build-reports.sh', () => {
    expect(built, `build-reports.sh failed:\n${buildOutput.slice(-6000)}`).toBe(true);
    expect(existsSync(join(buildDir, 'index.html'))).toBe(true);
    // An empty cache: Evidence's own build compiles, and its bundles are kept for the next build.
    expect(buildOutput).toMatch(/compile cache: miss \([0-9a-f]{64}\)/);
    expect(buildOutput).toContain('[reports] evidence build:strict');
  });

  it('opens no network connection off this machine while building', (ctx) => {
    if (!connectLog) return ctx.skip('strace is not available here');
    const log = readFileSync(connectLog, 'utf8');
    const off = offMachineConnects(log);
    expect(off, off.join('\n')).toEqual([]);
  });

  it('puts the total paid into the prerendered page', () => {
    const html = readFileSync(join(buildDir, 'index.html'), 'utf8');
    expect(html).toContain('Total paid');
    expect(html).toContain('$2,212.75');
    expect(html).toContain('Data quality');
    expect(html).toContain('Quarantined files');
  });

  it('ships the mart as data, exactly as the warehouse holds it', async () => {
    const manifest = JSON.parse(readFileSync(join(buildDir, 'data/manifest.json'), 'utf8')) as {
      renderedFiles: Record<string, string[]>;
    };
    const files = manifest.renderedFiles.warehouse ?? [];
    const url = files.find((f) => /remittance_summary\.parquet$/.test(f)) ?? '';
    expect(url).not.toBe('');
    const parquet = join(buildDir, url.replace(/^\/?static\//, ''));
    expect(existsSync(parquet), parquet).toBe(true);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `select practice_id, total_paid from read_parquet('${parquet.replaceAll("'", "''")}') order by practice_id`,
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { practice_id: 'P001', total_paid: 2167 },
        { practice_id: 'P002', total_paid: 45.75 },
      ]);
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
  });

  it('has no built asset that would fetch from another host', () => {
    const offenders: string[] = [];
    for (const file of walk(buildDir)) {
      const ext = extname(file);
      if (!TEXT_EXTENSIONS.has(ext)) continue;
      const text = readText(file);
      const rel = relative(buildDir, file);
      const host = FETCH_HOSTS.exec(text);
      if (host)
        offenders.push(
          `${rel}: names ${host[0]}: …${text.slice(Math.max(0, host.index - 80), host.index + 80)}…`,
        );
      for (const re of FETCH_CONTEXTS[ext === '.mjs' || ext === '.cjs' ? '.js' : ext] ?? []) {
        const m = re.exec(text);
        if (m) offenders.push(`${rel}: …${text.slice(Math.max(0, m.index - 40), m.index + 120)}…`);
      }
    }
    expect(offenders, offenders.join('\n')).toEqual([]);
  });

  const browserCheck = existsSync(CHROMIUM) ? it : it.skip;
  if (!existsSync(CHROMIUM)) {
    console.warn(`[reports] SKIPPING browser check: ${CHROMIUM} is missing (apt-get install -y chromium)`);
  }

  browserCheck(
    'renders in headless Chromium and queries in the browser without leaving 127.0.0.1',
    async () => {
      expect(built, 'site was not built').toBe(true);
      const site = await serveStatic(buildDir, 0);
      const browser = await chromium.launch({
        executablePath: CHROMIUM,
        args: [
          '--headless',
          '--no-sandbox',
          '--disable-gpu',
          '--disable-quic',
          '--no-first-run',
          '--disable-background-networking',
          '--disable-component-update',
          '--disable-sync',
          // Belt and braces: even a request that escaped interception could not resolve a name.
          '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
        ],
      });
      const external: string[] = [];
      const pageErrors: string[] = [];
      const consoleErrors: string[] = [];
      const isLocal = (u: string) => {
        const url = new URL(u);
        return url.protocol === 'data:' || url.protocol === 'blob:' || url.hostname === '127.0.0.1';
      };
      try {
        const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
        await context.route('**/*', (route) => {
          const u = route.request().url();
          if (isLocal(u)) return route.continue();
          external.push(u);
          return route.abort('blockedbyclient');
        });
        context.on('request', (req) => {
          if (!isLocal(req.url()) && !external.includes(req.url())) external.push(req.url());
        });
        const page = await context.newPage();
        page.on('pageerror', (e) => pageErrors.push(String(e)));
        page.on('console', (m) => {
          if (m.type() === 'error') consoleErrors.push(m.text());
        });

        await page.goto(site.url, { waitUntil: 'load', timeout: 120_000 });
        // (The data table keeps an invisible copy of its rows for measuring: look at visible ones only.)
        await page.getByText('$2,212.75').filter({ visible: true }).first().waitFor({ timeout: 120_000 });
        const rowA = page.getByRole('row').filter({ hasText: 'P001', visible: true }).first();
        await rowA.waitFor({ timeout: 120_000 });
        expect(await rowA.textContent()).toContain('$2,167.00');
        // The quarantined file is listed with where it broke.
        const quarantinedRow = page
          .getByRole('row')
          .filter({ hasText: 'truncated.835', visible: true })
          .first();
        await quarantinedRow.waitFor({ timeout: 120_000 });
        expect(await quarantinedRow.textContent()).toContain('segment 1 (byte 0)');

        // The page's query engine (duckdb-wasm) must answer from the shipped data, in the browser.
        // Through the pages' query path: it loads the table the query names, as a page's own query would.
        const answer = await page.evaluate(async () => {
          type Query = (sql: string) => Promise<Record<string, unknown>[]>;
          const g = globalThis as unknown as Record<symbol, Query | undefined>;
          const deadline = Date.now() + 90_000;
          let last = '';
          while (Date.now() < deadline) {
            const query = g[Symbol.for('RCM_REPORT_QUERY')];
            if (query) {
              try {
                const rows = await query(
                  "select sum(total_paid)::DECIMAL(18,2)::VARCHAR as total from warehouse.remittance_summary where practice_id = 'P001'",
                );
                return { total: String(rows[0]?.total) };
              } catch (e) {
                last = String(e);
              }
            }
            await new Promise((ok) => setTimeout(ok, 250));
          }
          return { error: last || 'the query function never appeared' };
        });
        expect(answer).toEqual({ total: '2167.00' });

        // Let anything lazy (charts, fonts, workers) settle before judging the network.
        await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
        expect(pageErrors, pageErrors.join('\n')).toEqual([]);
        const engineErrors = consoleErrors.filter((m) => /parquet|extension|duckdb|Timeout/i.test(m));
        expect(engineErrors, engineErrors.join('\n')).toEqual([]);
      } finally {
        await browser.close();
        await new Promise((done) => site.server.close(done));
      }
    },
    300_000,
  );
});

/** The files of a site's compiled bundles (SvelteKit's content-hashed `_app/immutable`), sorted. */
function bundleFiles(site: string): string[] {
  return walk(join(site, '_app/immutable'))
    .map((f) => relative(site, f))
    .sort();
}

/** The compile key tools/compile-cache.mjs gives a build copy of reports/ (as scripts/build-reports.sh makes). */
function compileKey(work: string): string {
  const r = spawnSync(
    process.execPath,
    [join(repoRoot, 'reports/tools/compile-cache.mjs'), 'key', work, repoRoot],
    {
      encoding: 'utf8',
      env: { ...process.env, NODE_ENV: 'production' },
    },
  );
  expect(r.status, r.stderr).toBe(0);
  return r.stdout.trim();
}

describe('compile cache', () => {
  const newSite = () => join(workDir, 'site-new-data');
  let hit = { status: null as number | null, output: '' };
  let hitConnectLog: string | undefined;

  beforeAll(async () => {
    if (!built) return;
    // The same pages over different data: P002's total paid raised by $1,000.00 in a copy of the warehouse.
    const warehouse = join(workDir, 'rcm-new-data.duckdb');
    copyFileSync(join(workDir, 'rcm.duckdb'), warehouse);
    const db = await DuckDBInstance.create(warehouse);
    const conn = await db.connect();
    try {
      await conn.run(
        `update marts.remittance_summary set total_paid = total_paid + 1000 where practice_id = 'P002'`,
      );
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
    hitConnectLog = connectLog ? join(workDir, 'connect-hit.strace') : undefined;
    hit = buildReports(warehouse, newSite(), hitConnectLog, { RCM_REPORTS_CACHE: cacheDir });
  }, 900_000);

  it('reuses the compiled bundles when only the data changed, and the site shows the new data', () => {
    expect(hit.status, `build-reports.sh failed:\n${hit.output.slice(-6000)}`).toBe(0);
    expect(hit.output).toMatch(/compile cache: hit \([0-9a-f]{64}\)/);
    expect(hit.output).not.toContain('[reports] evidence build:strict');
    const html = readFileSync(join(newSite(), 'index.html'), 'utf8');
    // 2,167.00 + 1,045.75
    expect(html).toContain('$3,212.75');
    expect(html).not.toContain('$2,212.75');
    // The very bundles of the first build, and the same pages and data files (less the names that hash the
    // data: Parquet folders and query results).
    expect(bundleFiles(newSite())).toEqual(bundleFiles(buildDir));
    const pages = (site: string) =>
      walk(site)
        .map((f) => relative(site, f))
        .filter((f) => !/^(_app\/|api\/prerendered_queries\/|data\/.*\.parquet$)/.test(f))
        .sort();
    expect(pages(newSite())).toEqual(pages(buildDir));
  });

  it('opens no network connection off this machine on a cache hit', (ctx) => {
    if (!hitConnectLog) return ctx.skip('strace is not available here');
    const off = offMachineConnects(readFileSync(hitConnectLog, 'utf8'));
    expect(off, off.join('\n')).toEqual([]);
  });

  it('keys the compile on the pages: a changed page is a miss, an unchanged copy a hit', () => {
    const copy = (name: string) => {
      const work = join(workDir, name);
      for (const f of ['pages', 'sources', 'evidence.config.yaml', 'evidence.settings.json', 'package.json'])
        cpSync(join(repoRoot, 'reports', f), join(work, f), { recursive: true });
      mkdirSync(join(work, 'partials'));
      writeFileSync(join(work, 'partials/kpi-methods.md'), 'Methods\n');
      return work;
    };
    const a = compileKey(copy('key-a'));
    expect(compileKey(copy('key-b'))).toBe(a);
    const changed = copy('key-c');
    writeFileSync(
      join(changed, 'pages/index.md'),
      `${readFileSync(join(changed, 'pages/index.md'), 'utf8')}\nMore.\n`,
    );
    expect(compileKey(changed)).not.toBe(a);
    const partial = copy('key-d');
    writeFileSync(join(partial, 'partials/kpi-methods.md'), 'Methods, reworded\n');
    expect(compileKey(partial)).not.toBe(a);
  });
});
