/**
 * Billing-company benchmark: the daily job end to end (`rcm load`, `rcm transform`, `rcm reports`, each the real
 * command in its own process) on generated sets of growing numbers of practices, with the cost per claim line of
 * each step, so that "cost per claim line stays flat from 1 to 10 to 50 practices" can be read off one run. The
 * floor in the same run is hashing and copying every input file once (what archiving alone costs).
 *
 *   npx tsx scripts/bench/billing-company.ts                           # 1, 10 and 50 practices × 24 months
 *   npx tsx scripts/bench/billing-company.ts --practices 1,10 --months 6
 *   npx tsx scripts/bench/billing-company.ts --practices 1 --months 1 --steps load   # a smoke run
 *
 * Peak memory is the largest single process of each step (GNU time's maximum resident set size, which covers
 * the step's child processes: dbt, the Evidence build), when /usr/bin/time exists.
 *
 * Output: a Markdown table, bench-out/billing-company-results.json and an SVG chart of the cost per claim line
 * (bench-out/billing-company.svg, or --chart PATH). Not a test: nothing asserts.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { Manifest } from '../../etl/generate/index.ts';
import { listInbox } from '../../etl/load/inbox.ts';
import { costChart } from './chart.ts';
import { benchOutDir, machineFacts } from './results.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rcm = path.join(root, 'bin', 'rcm.mjs');
const STEPS = ['load', 'transform', 'reports'] as const;
type Step = (typeof STEPS)[number];

interface StepResult {
  seconds: number;
  /** user + system CPU seconds of the step and its children: steadier than wall time on a shared machine */
  cpuSeconds: number | null;
  peakRssMb: number | null;
  exitCode: number;
}

export interface BillingCompanyResult {
  practices: number;
  months: number;
  claims: number;
  chargeLines: number;
  files: number;
  bytes: number;
  generateSeconds: number;
  floorSeconds: number;
  steps: Partial<Record<Step, StepResult>>;
}

const { values } = parseArgs({
  options: {
    practices: { type: 'string', default: '1,10,50' },
    months: { type: 'string', default: '24' },
    steps: { type: 'string', default: STEPS.join(',') },
    out: { type: 'string', default: path.join(benchOutDir, 'billing-company') },
    chart: { type: 'string' },
    keep: { type: 'boolean', default: false },
  },
});
const months = Number(values.months);
const steps = (values.steps as string).split(',') as Step[];
for (const step of steps) if (!STEPS.includes(step)) throw new Error(`--steps: unknown step ${step}`);
const timeBin = existsSync('/usr/bin/time') ? '/usr/bin/time' : null;

/** Runs one rcm command; wall time, and CPU seconds and the peak RSS of its largest process when GNU time is there. */
function timed(args: string[], statsFile: string): StepResult {
  const command =
    timeBin === null
      ? [process.execPath, rcm, ...args]
      : [timeBin, '-f', '%e %M %U %S', '-o', statsFile, process.execPath, rcm, ...args];
  const t0 = performance.now();
  const run = spawnSync(command[0] as string, command.slice(1), {
    cwd: root,
    stdio: ['ignore', 'ignore', 'pipe'],
    maxBuffer: 256 << 20,
  });
  const seconds = (performance.now() - t0) / 1000;
  const exitCode = run.status ?? 1;
  // kept beside the step's timings, so a failed step can be read after the run
  writeFileSync(`${statsFile}.stderr`, run.stderr ?? '');
  let peakRssMb: number | null = null;
  let cpuSeconds: number | null = null;
  if (timeBin !== null && existsSync(statsFile)) {
    const [, kb, user, system] = (readFileSync(statsFile, 'utf8').trim().split('\n').at(-1) ?? '')
      .split(' ')
      .map(Number);
    peakRssMb = Number.isFinite(kb) ? (kb as number) / 1024 : null;
    cpuSeconds =
      Number.isFinite(user) && Number.isFinite(system) ? (user as number) + (system as number) : null;
  }
  return { seconds, cpuSeconds, peakRssMb, exitCode };
}

/** Hash and copy every input once: the least any archiving load must do. */
function floorSeconds(inbox: string, scratch: string): number {
  rmSync(scratch, { recursive: true, force: true });
  mkdirSync(scratch, { recursive: true });
  const t0 = performance.now();
  listInbox(inbox).forEach((file, i) => {
    const bytes = readFileSync(file.filePath);
    createHash('sha256').update(bytes).digest('hex');
    writeFileSync(path.join(scratch, String(i)), bytes);
  });
  const seconds = (performance.now() - t0) / 1000;
  rmSync(scratch, { recursive: true, force: true });
  return seconds;
}

function runSet(practices: number): BillingCompanyResult {
  const dir = path.join(values.out as string, `${practices}p-${months}m`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const inbox = path.join(dir, 'inbox');
  const database = path.join(dir, 'warehouse', 'rcm.duckdb');
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [rcm, 'generate', '--out', inbox, '--practices', String(practices), '--months', String(months)],
    {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  const generateSeconds = (performance.now() - t0) / 1000;
  const manifest = JSON.parse(readFileSync(path.join(inbox, 'manifest.json'), 'utf8')) as Manifest;
  const result: BillingCompanyResult = {
    practices,
    months,
    claims: manifest.practices.reduce((sum, p) => sum + p.claims, 0),
    chargeLines: manifest.practices.reduce((sum, p) => sum + p.charge_lines, 0),
    files: manifest.files.length,
    bytes: manifest.files.reduce((sum, f) => sum + f.bytes, 0),
    generateSeconds,
    floorSeconds: floorSeconds(inbox, path.join(dir, 'floor')),
    steps: {},
  };
  const argsOf: Record<Step, string[]> = {
    load: ['load', inbox, '--warehouse', database],
    transform: ['transform', '--warehouse', database],
    reports: ['reports', '--warehouse', database, '--out', path.join(dir, 'site')],
  };
  let failed = false;
  for (const step of steps) {
    const outcome = timed(argsOf[step], path.join(dir, `${step}.time`));
    result.steps[step] = outcome;
    // exit 3 from load: the generator plants files a practice would have to fix; they are quarantined
    const ok = outcome.exitCode === 0 || (step === 'load' && outcome.exitCode === 3);
    process.stderr.write(
      `${practices} practice(s) ${step}: ${outcome.seconds.toFixed(1)} s${ok ? '' : ` (exit ${outcome.exitCode})`}\n`,
    );
    if (!ok) {
      process.stderr.write(
        `${practices} practice(s) ${step} failed; its output is in ${dir}/${step}.time.stderr (the set is kept)\n`,
      );
      failed = true;
      break;
    }
  }
  if (!values.keep && !failed) rmSync(dir, { recursive: true, force: true });
  return result;
}

const before = machineFacts();
const results = (values.practices as string).split(',').map((n) => runSet(Number(n)));
const after = machineFacts();

const usPerLine = (seconds: number, lines: number) => (seconds * 1e6) / lines;
const totalOf = (r: BillingCompanyResult) =>
  steps.reduce((sum, step) => sum + (r.steps[step]?.seconds ?? 0), 0);
const baseline = results[0] === undefined ? null : usPerLine(totalOf(results[0]), results[0].chargeLines);
const header = [
  'practices × months',
  'claims',
  'claim lines',
  'files',
  ...steps.map((s) => `${s} s`),
  'total s',
  'CPU s',
  'µs / claim line',
  '× first row',
  'peak RSS MB',
  'load × floor',
];
const rows = results.map((r) => {
  const total = totalOf(r);
  const perLine = usPerLine(total, r.chargeLines);
  const peak = Math.max(...steps.map((s) => r.steps[s]?.peakRssMb ?? 0));
  const load = r.steps.load;
  return [
    `${r.practices} × ${r.months}`,
    r.claims.toLocaleString('en-US'),
    r.chargeLines.toLocaleString('en-US'),
    r.files.toLocaleString('en-US'),
    ...steps.map((s) => r.steps[s]?.seconds.toFixed(1) ?? '—'),
    total.toFixed(1),
    steps.some((s) => r.steps[s]?.cpuSeconds == null)
      ? '—'
      : steps.reduce((sum, s) => sum + (r.steps[s]?.cpuSeconds ?? 0), 0).toFixed(1),
    perLine.toFixed(0),
    baseline === null ? '—' : (perLine / baseline).toFixed(2),
    peak > 0 ? peak.toFixed(0) : '—',
    load === undefined ? '—' : (load.seconds / r.floorSeconds).toFixed(1),
  ];
});
const table = [
  `| ${header.join(' | ')} |`,
  `|${header.map(() => '---').join('|')}|`,
  ...rows.map((r) => `| ${r.join(' | ')} |`),
].join('\n');
process.stdout.write(`${table}\nload average ${before.loadAverage} before, ${after.loadAverage} after\n`);

const outDir = benchOutDir;
mkdirSync(outDir, { recursive: true });
writeFileSync(
  path.join(outDir, 'billing-company-results.json'),
  `${JSON.stringify({ machine: before, loadAverageAfter: after.loadAverage, steps, results }, null, 2)}\n`,
);
const chart = costChart(
  results.map((r) => ({
    label: `${r.practices} practice${r.practices === 1 ? '' : 's'}`,
    parts: steps.map((s) => ({ name: s, value: usPerLine(r.steps[s]?.seconds ?? 0, r.chargeLines) })),
  })),
  'µs per claim line',
);
writeFileSync(values.chart ?? path.join(outDir, 'billing-company.svg'), chart);
