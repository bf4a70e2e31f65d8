/**
 * PDF benchmark: `rcm pack` (the owner pack, and a payer page with --payer) on a built report site, each run in
 * its own process under GNU time, against
 *   - the floor: the same Chromium, flags and PDF settings printing a one-line page from the same local server —
 *     starting a browser and printing, the least any PDF of a page costs;
 *   - a peer: Chromium's own `--print-to-pdf` of the same owner pack, waiting for its scripts with a virtual-time
 *     budget (no route blocking, no footer, no wait for the charts).
 *
 *   npx tsx scripts/bench/pack.ts                                   # the demo site scripts/bench/reports.ts built
 *   npx tsx scripts/bench/pack.ts --site DIR --runs 5
 *
 * Output: a Markdown table and bench-out/pack-results.json. Not a test: nothing asserts.
 */
import { spawn } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { chromium } from 'playwright-core';
import { chromiumFlags, chromiumPath, ownerPackPages } from '../../etl/pipeline/pack.ts';
import { serveStatic } from '../../etl/pipeline/static-server.ts';
import { benchOutDir, machineFacts } from './results.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rcm = path.join(root, 'bin', 'rcm.mjs');

const { values } = parseArgs({
  options: {
    site: { type: 'string', default: path.join(benchOutDir, 'reports-1', 'site') },
    runs: { type: 'string', default: '3' },
    // internal: the floor's own process (a browser printing a one-line page from DIR)
    'floor-child': { type: 'string' },
    out: { type: 'string' },
  },
});

/** The floor, in a process of its own so GNU time sees it alone: launch, open, print, close. */
async function floorChild(dir: string, out: string): Promise<void> {
  const site = await serveStatic(dir, 0);
  const profile = mkdtempSync(path.join(tmpdir(), 'rcm-bench-floor-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: chromiumPath,
    args: chromiumFlags,
  });
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    await page.goto(new URL('floor.html', site.url).href, { waitUntil: 'load' });
    await page.pdf({ path: out, format: 'Letter' });
  } finally {
    await context.close();
    await new Promise((done) => site.server.close(done));
    rmSync(profile, { recursive: true, force: true });
  }
}

if (values['floor-child']) {
  await floorChild(values['floor-child'], values.out as string);
  process.exit(0);
}

interface Timed {
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

/** Runs a command under GNU time without blocking this process (the peer's page is served from here). */
function timed(command: string[], statsFile: string): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn('/usr/bin/time', ['-f', '%M %U %S', '-o', statsFile, ...command], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => {
      const seconds = (performance.now() - t0) / 1000;
      if (code !== 0)
        return reject(new Error(`${command.join(' ')} exited ${code}:\n${stderr.slice(-2000)}`));
      const [kb = 0, user = 0, system = 0] = (readFileSync(statsFile, 'utf8').trim().split('\n').at(-1) ?? '')
        .split(' ')
        .map(Number);
      resolve({ seconds, cpuSeconds: user + system, peakRssMb: kb / 1024 });
    });
  });
}

/** Page count of a PDF Chromium wrote: its page objects (Chromium writes no object streams for pages). */
function pdfPages(file: string): number {
  return (readFileSync(file, 'latin1').match(/\/Type\s*\/Page(?![a-z])/g) ?? []).length;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? Number.NaN;

const siteDir = path.resolve(values.site as string);
if (!existsSync(path.join(siteDir, 'index.html')))
  throw new Error(
    `${siteDir} holds no report site: run npx tsx scripts/bench/reports.ts first (or pass --site)`,
  );
const packs = ownerPackPages(siteDir).sort((a, b) =>
  `${a.practice}/${a.month}`.localeCompare(`${b.practice}/${b.month}`),
);
const last = packs.at(-1);
if (!last) throw new Error(`${siteDir} has no owner packs`);
const payerDir = path.join(siteDir, 'payers', last.practice);
const payer = existsSync(payerDir)
  ? readdirSync(payerDir, { withFileTypes: true }).find((d) => d.isDirectory())?.name
  : undefined;

const work = path.join(benchOutDir, 'pack');
rmSync(work, { recursive: true, force: true });
mkdirSync(work, { recursive: true });
// the floor's page lives in its own folder, beside nothing else
const floorSite = path.join(work, 'floor-site');
mkdirSync(floorSite);
writeFileSync(path.join(floorSite, 'floor.html'), '<!doctype html><title>floor</title><p>floor</p>\n');

const runs = Number(values.runs);
interface Case {
  name: string;
  command: (out: string) => string[];
}
/** `rcm pack` of the site's latest owner pack (or, with `--payer`, that payer's page), as the user runs it. */
const packCommand = (out: string, extra: string[] = []) => [
  process.execPath,
  rcm,
  'pack',
  '--month',
  last.month,
  '--practice',
  last.practice,
  ...extra,
  '--dir',
  siteDir,
  '--out',
  out,
];
const served = await serveStatic(siteDir, 0);
const cases: Case[] = [
  {
    name: 'floor: Chromium prints a one-line page',
    command: (out) => [
      process.execPath,
      '--import',
      'tsx',
      import.meta.filename,
      '--floor-child',
      floorSite,
      '--out',
      out,
    ],
  },
  {
    name: `rcm pack --month ${last.month} --practice ${last.practice}`,
    command: (out) => packCommand(out),
  },
  ...(payer
    ? [{ name: `rcm pack --payer ${payer}`, command: (out: string) => packCommand(out, ['--payer', payer]) }]
    : []),
  {
    name: 'peer: chromium --print-to-pdf of the same owner pack (10 s virtual time)',
    command: (out) => {
      const profile = mkdtempSync(path.join(work, 'peer-profile-'));
      return [
        chromiumPath,
        ...chromiumFlags,
        `--user-data-dir=${profile}`,
        '--no-pdf-header-footer',
        '--virtual-time-budget=10000',
        `--print-to-pdf=${out}`,
        new URL(`owner/${last.practice}/${last.month}`, served.url).href,
      ];
    },
  },
];

interface Row {
  name: string;
  seconds: number[];
  cpuSeconds: number[];
  peakRssMb: number[];
  pdfPages: number;
  pdfKb: number;
}
const rows: Row[] = cases.map((c) => ({
  name: c.name,
  seconds: [],
  cpuSeconds: [],
  peakRssMb: [],
  pdfPages: 0,
  pdfKb: 0,
}));
const before = machineFacts();
// interleaved, so a change in the machine's load falls on every case alike
for (let run = 0; run < runs; run += 1) {
  for (const [i, c] of cases.entries()) {
    const out = path.join(work, `case${i}-run${run}.pdf`);
    process.stderr.write(`[bench] run ${run + 1}/${runs}: ${c.name}\n`);
    const t = await timed(c.command(out), path.join(work, `case${i}-run${run}.time`));
    const row = rows[i] as Row;
    row.seconds.push(t.seconds);
    row.cpuSeconds.push(t.cpuSeconds);
    row.peakRssMb.push(t.peakRssMb);
    row.pdfPages = pdfPages(out);
    row.pdfKb = statSync(out).size / 1024;
  }
}
await new Promise((done) => served.server.close(done));
const after = machineFacts();

const floor = rows[0] as Row;
const lines = [
  `${before.date.slice(0, 10)}, ${before.cpus} cores (${before.cpuModel}), ${before.memoryGb} GiB, load average ${before.loadAverage} → ${after.loadAverage}; site ${siteDir}; median of ${runs} runs`,
  '',
  '| what | wall | CPU | peak RSS (largest process) | PDF | wall / floor |',
  '|---|---|---|---|---|---|',
  ...rows.map(
    (r) =>
      `| ${r.name} | ${median(r.seconds).toFixed(1)} s | ${median(r.cpuSeconds).toFixed(1)} s | ${median(r.peakRssMb).toFixed(0)} MB | ${r.pdfPages} pages, ${r.pdfKb.toFixed(0)} KB | ${(median(r.seconds) / median(floor.seconds)).toFixed(1)}× |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(
  path.join(benchOutDir, 'pack-results.json'),
  `${JSON.stringify({ machine: before, loadAverageAfter: after.loadAverage, site: siteDir, rows }, null, 2)}\n`,
);
