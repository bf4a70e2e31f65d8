/**
 * The whole benchmark suite in one command: every benchmark of scripts/bench/, one after another (never two at
 * once: they would measure each other), each printing its table with its floor and peers, gathered into
 * bench-out/results.md under the machine, versions, date and load average they were measured with.
 *
 *   npm run bench                 # the sizes of the issues: hours, mostly the 50-practice run
 *   npm run bench -- --smoke      # every benchmark at its smallest size, in about a minute: keeps them working
 *
 * Not a test: nothing here fails on speed. test/bench/smoke.test.ts runs the smoke mode so the scripts do not rot.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchOutDir, machineFacts } from './results.ts';

const root = path.resolve(import.meta.dirname, '../..');
const { values } = parseArgs({ options: { smoke: { type: 'boolean', default: false } } });
const smoke = values.smoke as boolean;
const smokeInbox = path.join(benchOutDir, 'smoke-inbox');

interface Benchmark {
  name: string;
  script: string;
  args: string[];
  /** null: too slow for a smoke run (a whole Evidence build); the billing-company smoke run covers its command */
  smokeArgs: string[] | null;
}

const SUITE: Benchmark[] = [
  { name: 'PM CSV exports', script: 'pm-csv.ts', args: [], smokeArgs: ['2000', '1'] },
  { name: 'X12 engine', script: 'x12.ts', args: [], smokeArgs: ['--mb', '1'] },
  {
    name: 'Synthetic practice generator',
    script: 'generate.ts',
    args: [],
    smokeArgs: ['--practices', '1', '--months', '1'],
  },
  { name: 'Inbox of many small files', script: 'inbox.ts', args: [], smokeArgs: ['--inbox', smokeInbox] },
  { name: 'Report build', script: 'reports.ts', args: [], smokeArgs: null },
  // prints from the demo site the report build above leaves in bench-out/reports-1/site
  { name: 'PDF of the owner pack', script: 'pack.ts', args: [], smokeArgs: null },
  {
    name: 'Billing company end to end',
    script: 'billing-company.ts',
    args: [],
    smokeArgs: ['--practices', '1', '--months', '1', '--steps', 'load'],
  },
];

const rcm = (args: string[]) =>
  execFileSync(process.execPath, [path.join(root, 'bin', 'rcm.mjs'), ...args], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });

mkdirSync(benchOutDir, { recursive: true });
if (smoke) rcm(['generate', '--out', smokeInbox, '--practices', '1', '--months', '1', '--overwrite']);

const facts = machineFacts();
const sections: string[] = [];
for (const bench of SUITE) {
  const args = smoke ? bench.smokeArgs : bench.args;
  if (args === null) {
    sections.push(`## ${bench.name} (\`scripts/bench/${bench.script}\`): not part of the smoke run\n`);
    continue;
  }
  process.stderr.write(`== ${bench.name} (${bench.script})\n`);
  const t0 = performance.now();
  const output = execFileSync(
    process.execPath,
    ['--import', 'tsx', path.join(import.meta.dirname, bench.script), ...args],
    { cwd: root, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 64 << 20 },
  );
  process.stdout.write(output);
  const seconds = (performance.now() - t0) / 1000;
  sections.push(
    `## ${bench.name} (\`scripts/bench/${bench.script}\`, ${seconds.toFixed(0)} s)\n\n${output.trim()}\n`,
  );
}

const header = [
  `# Benchmark results${smoke ? ' (smoke run: smallest sizes, figures meaningless)' : ''}`,
  '',
  `${facts.date}; ${facts.cpus} × ${facts.cpuModel}, ${facts.memoryGb} GiB; ${facts.os}; Node ${facts.node};`,
  `DuckDB ${facts.duckdb}; dbt-core ${facts.dbt}; load average ${facts.loadAverage} at the start, ${machineFacts().loadAverage} at the end.`,
  '',
].join('\n');
writeFileSync(path.join(benchOutDir, 'results.md'), `${header}\n${sections.join('\n')}`);
process.stderr.write(`results: ${path.join(benchOutDir, 'results.md')}\n`);
