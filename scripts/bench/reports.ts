/**
 * Report build benchmark: wall time of the source data step (reports/tools/write-sources.mjs) and `evidence build`
 * (scripts/build-reports.sh, the build `rcm reports` runs), peak RSS of the largest process, pages and site size, on generated practices loaded
 * and transformed first (not timed). One practice with the generator's defaults is the demo (`rcm demo`).
 *
 *   npx tsx scripts/bench/reports.ts                      # the demo: 1 practice × 24 months
 *   npx tsx scripts/bench/reports.ts --practices 1,10     # and a 10-practice billing company
 *
 * Output: a Markdown table and bench-out/reports-results.json. Not a test: nothing asserts.
 */
import { execFileSync, spawn } from 'node:child_process';
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../../etl/generate/index.ts';
import { benchOutDir } from './results.ts';

const root = path.resolve(import.meta.dirname, '../..');
const benchDir = benchOutDir;

interface Result {
  practices: number;
  months: number;
  pages: number;
  siteMb: number;
  sourcesSeconds: number;
  buildSeconds: number;
  totalSeconds: number;
  cpuSeconds: number;
  peakRssMb: number;
}

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((d) =>
    d.isDirectory() ? files(path.join(dir, d.name)) : [path.join(dir, d.name)],
  );
}

/** Runs the build under GNU time; the moment the script announces `evidence build` splits the two steps. */
function timedBuild(
  warehouse: string,
  out: string,
  timeFile: string,
): Promise<Omit<Result, 'practices' | 'months'>> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let buildStart = 0;
    let log = '';
    const child = spawn(
      '/usr/bin/time',
      ['-v', '-o', timeFile, 'bash', path.join(root, 'scripts/build-reports.sh')],
      {
        cwd: root,
        env: { ...process.env, RCM_WAREHOUSE: warehouse, RCM_REPORTS_OUT: out, RCM_REPORTS_TIMEOUT: '3600' },
      },
    );
    const onData = (chunk: Buffer) => {
      const text = chunk.toString();
      log += text;
      if (!buildStart && text.includes('evidence build:strict')) buildStart = performance.now();
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.on('error', reject);
    child.on('close', (code) => {
      const end = performance.now();
      if (code !== 0) return reject(new Error(`build failed (${code}):\n${log.slice(-4000)}`));
      const time = readFileSync(timeFile, 'utf8');
      // GNU time reports the largest resident set of any process it waited for, in KiB.
      const rss = Number(/Maximum resident set size \(kbytes\): (\d+)/.exec(time)?.[1] ?? 0);
      // CPU seconds say more than wall time on a shared machine: other jobs stretch the wall clock.
      const cpu = ['User', 'System'].reduce(
        (sum, kind) => sum + Number(new RegExp(`${kind} time \\(seconds\\): ([\\d.]+)`).exec(time)?.[1] ?? 0),
        0,
      );
      const site = files(out);
      resolve({
        pages: site.filter((f) => f.endsWith('.html')).length,
        siteMb: site.reduce((s, f) => s + statSync(f).size, 0) / 2 ** 20,
        sourcesSeconds: (buildStart - t0) / 1000,
        buildSeconds: (end - buildStart) / 1000,
        totalSeconds: (end - t0) / 1000,
        cpuSeconds: cpu,
        peakRssMb: rss / 1024,
      });
    });
  });
}

const { values } = parseArgs({
  options: { practices: { type: 'string', default: '1' }, months: { type: 'string', default: '24' } },
});
const months = Number(values.months);
const results: Result[] = [];
for (const practices of (values.practices ?? '1').split(',').map(Number)) {
  const dir = path.join(benchDir, `reports-${practices}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const inbox = path.join(dir, 'inbox');
  const warehouse = path.join(dir, 'rcm.duckdb');
  process.stderr.write(`[bench] ${practices} practice(s) × ${months} months: generate, load, transform\n`);
  // The generator's defaults (seed rcm-demo, six providers) with one practice and 24 months are the demo.
  await generate({ outDir: inbox, overwrite: true, practices, months });
  for (const step of [['load', inbox], ['transform']])
    execFileSync(process.execPath, [path.join(root, 'bin/rcm.mjs'), ...step, '--warehouse', warehouse], {
      cwd: root,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  process.stderr.write('[bench] building the site\n');
  const r = await timedBuild(warehouse, path.join(dir, 'site'), path.join(dir, 'time.txt'));
  results.push({ practices, months, ...r });
}

const cpu = os.cpus()[0]?.model ?? 'unknown CPU';
const header = `${new Date().toISOString().slice(0, 10)}, ${os.cpus().length} cores (${cpu}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, load average ${os
  .loadavg()
  .map((l) => l.toFixed(1))
  .join(' ')}`;
const lines = [
  header,
  '',
  '| practices × months | pages | site | source data | evidence build | total (wall) | CPU | peak RSS |',
  '|---|---|---|---|---|---|---|---|',
  ...results.map(
    (r) =>
      `| ${r.practices} × ${r.months} | ${r.pages} | ${r.siteMb.toFixed(0)} MB | ${r.sourcesSeconds.toFixed(0)} s | ${r.buildSeconds.toFixed(0)} s | ${r.totalSeconds.toFixed(0)} s | ${r.cpuSeconds.toFixed(0)} s | ${(r.peakRssMb / 1024).toFixed(1)} GB |`,
  ),
];
process.stdout.write(`${lines.join('\n')}\n`);
writeFileSync(
  path.join(benchDir, 'reports-results.json'),
  `${JSON.stringify({ header, results }, null, 2)}\n`,
);
