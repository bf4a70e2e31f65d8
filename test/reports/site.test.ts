// Builds the report site from a warehouse made here, then checks the output offline:
// (b) the number reaches the built HTML and data, and no built asset would fetch from off this machine;
// (c) headless Chromium renders the page, with every request to another host blocked and recorded,
//     and the in-browser DuckDB answers a query from the shipped data.
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { extname, join, relative } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { chromium } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  buildDir,
  buildReports,
  canStrace,
  makeWarehouse,
  offMachineConnects,
  readText,
  serveStatic,
  walk,
} from './helpers.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOT = '/tmp/rcm-reports-index.png';

// Known values: PRAC-A alone is 1,234.56; the practice total is 1,334.56.
const rows = [
  {
    practice_id: 'PRAC-A',
    remittances: 3,
    claims: 7,
    total_paid: '1234.56',
    claims_paid: '1300.00',
    plb_total: '-65.44',
  },
  {
    practice_id: 'PRAC-B',
    remittances: 1,
    claims: 2,
    total_paid: '100.00',
    claims_paid: '100.00',
    plb_total: '0.00',
  },
];

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
let built = false;
let buildOutput = '';
let connectLog: string | undefined;

beforeAll(() => {
  workDir = mkdtempSync(join(tmpdir(), 'rcm-reports-'));
}, 60_000);

afterAll(() => {
  if (workDir) rmSync(workDir, { recursive: true, force: true });
});

describe('report site built offline', () => {
  beforeAll(async () => {
    const warehouse = join(workDir, 'rcm.duckdb');
    await makeWarehouse(warehouse, rows);
    // Where strace works, the build is traced: it must not open a single connection off this machine.
    connectLog = canStrace() ? join(workDir, 'connect.strace') : undefined;
    if (!connectLog) console.warn('[reports] strace unavailable: the build runs untraced');
    const r = buildReports(warehouse, connectLog);
    buildOutput = r.output;
    built = r.status === 0;
  }, 1_500_000);

  it('builds with scripts/build-reports.sh', () => {
    expect(built, `build-reports.sh failed:\n${buildOutput.slice(-6000)}`).toBe(true);
    expect(existsSync(join(buildDir, 'index.html'))).toBe(true);
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
    expect(html).toContain('$1,334.56');
  });

  it('ships the mart as data, exactly as the warehouse holds it', async () => {
    const manifest = JSON.parse(readFileSync(join(buildDir, 'data/manifest.json'), 'utf8')) as {
      renderedFiles: Record<string, string[]>;
    };
    const files = manifest.renderedFiles.warehouse ?? [];
    expect(files.length).toBe(1);
    const url = files[0] ?? '';
    expect(url).toMatch(/remittance_summary\.parquet$/);
    const parquet = join(buildDir, url.replace(/^\/?static\//, ''));
    expect(existsSync(parquet), parquet).toBe(true);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `select practice_id, total_paid from read_parquet('${parquet.replaceAll("'", "''")}') order by practice_id`,
      );
      expect(reader.getRowObjectsJS()).toEqual([
        { practice_id: 'PRAC-A', total_paid: 1234.56 },
        { practice_id: 'PRAC-B', total_paid: 100 },
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
      const site = await serveStatic(buildDir);
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

        await page.goto(`${site.url}/`, { waitUntil: 'load', timeout: 120_000 });
        // (The data table keeps an invisible copy of its rows for measuring: look at visible ones only.)
        await page.getByText('$1,334.56').filter({ visible: true }).first().waitFor({ timeout: 120_000 });
        const rowA = page.getByRole('row').filter({ hasText: 'PRAC-A', visible: true }).first();
        await rowA.waitFor({ timeout: 120_000 });
        expect(await rowA.textContent()).toContain('$1,234.56');

        // The page's query engine (duckdb-wasm) must answer from the shipped data, in the browser.
        const answer = await page.evaluate(async () => {
          type Engine = {
            connect(): Promise<{
              query(sql: string): Promise<{ toArray(): { toJSON(): Record<string, unknown> }[] }>;
              close(): Promise<void>;
            }>;
          };
          const g = globalThis as unknown as Record<symbol, Engine | undefined>;
          const deadline = Date.now() + 90_000;
          let last = '';
          while (Date.now() < deadline) {
            const engine = g[Symbol.for('EVIDENCE_QUERY_ENGINE')];
            if (engine) {
              try {
                const conn = await engine.connect();
                try {
                  const res = await conn.query(
                    "select sum(total_paid)::VARCHAR as total from warehouse.remittance_summary where practice_id = 'PRAC-A'",
                  );
                  return { total: String(res.toArray()[0]?.toJSON().total) };
                } finally {
                  await conn.close();
                }
              } catch (e) {
                last = String(e);
              }
            }
            await new Promise((ok) => setTimeout(ok, 250));
          }
          return { error: last || 'query engine never appeared' };
        });
        expect(answer).toEqual({ total: '1234.56' });

        // Let anything lazy (charts, fonts, workers) settle before judging the network.
        await page.waitForLoadState('networkidle', { timeout: 60_000 }).catch(() => undefined);
        await page.screenshot({ path: SCREENSHOT, fullPage: true });

        expect(external, `requests to other hosts: ${external.join(', ')}`).toEqual([]);
        expect(pageErrors, pageErrors.join('\n')).toEqual([]);
        const engineErrors = consoleErrors.filter((m) => /parquet|extension|duckdb|Timeout/i.test(m));
        expect(engineErrors, engineErrors.join('\n')).toEqual([]);
      } finally {
        await browser.close();
        await site.close();
      }
    },
    300_000,
  );
});
