/**
 * The fuzz drill: 100,000+ mutated input files (scripts/reliability/fuzz-cases.ts) through parse and load, in
 * child processes watched from here. A child that stops reporting for --timeout-ms is a hang: it is killed and
 * the run goes on after that case (the kill doubles as a crash test of the warehouse it was loading). A child
 * that dies, or a case that throws, is a crash. Peak memory is each child's highest RSS.
 *
 *   npx tsx scripts/reliability/fuzz.ts [--cases 100000] [--seed drill] [--workers 2] [--timeout-ms 30000]
 *
 * Prints a Markdown summary and writes bench-out/fuzz.json. Results are recorded in docs/reliability.md.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import { parseArgs } from 'node:util';
import { warehousePaths } from '../../etl/config.ts';
import { generate } from '../../etl/generate/index.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { type CaseResult, pickSeeds, runCase } from './fuzz-cases.ts';

const { values } = parseArgs({
  options: {
    cases: { type: 'string', default: '100000' },
    seed: { type: 'string', default: 'drill' },
    workers: { type: 'string', default: '2' },
    'timeout-ms': { type: 'string', default: '30000' },
    batch: { type: 'string', default: '2500' },
    child: { type: 'boolean', default: false },
    from: { type: 'string' },
    to: { type: 'string' },
    inbox: { type: 'string' },
    dir: { type: 'string' },
  },
});

if (values.child) await child();
else await parent();

/** Runs cases [from, to) into a warehouse of its own, reporting each on stdout. */
async function child(): Promise<void> {
  const dir = values.dir as string;
  const paths = warehousePaths({}, path.join(dir, 'rcm.duckdb'));
  const seeds = pickSeeds(values.inbox as string, 2);
  const warehouse = await openWarehouse(paths.database);
  const say = (line: string) => process.stdout.write(`${line}\n`);
  for (let index = Number(values.from); index < Number(values.to); index++) {
    say(`start ${index}`);
    try {
      const result = await runCase(
        warehouse.connection,
        paths,
        path.join(dir, 'scratch'),
        values.seed as string,
        index,
        seeds,
      );
      say(`done ${JSON.stringify({ ...result, rss: process.memoryUsage().rss })}`);
    } catch (error) {
      say(`crash ${index} ${JSON.stringify(String((error as Error).stack ?? error))}`);
    }
  }
  warehouse.close();
}

async function parent(): Promise<void> {
  const total = Number(values.cases);
  const work = mkdtempSync(path.join(os.tmpdir(), 'rcm-fuzz-'));
  const inbox = path.join(work, 'inbox');
  await generate({ outDir: inbox, practices: 1, providersPerPractice: 1, months: 1, emit837: true });
  const batch = Number(values.batch);
  const timeoutMs = Number(values['timeout-ms']);
  const pending: Array<[number, number]> = [];
  for (let from = 0; from < total; from += batch) pending.push([from, Math.min(total, from + batch)]);

  const results: CaseResult[] = [];
  const crashes: Array<{ index: number; error: string }> = [];
  const hangs: number[] = [];
  let peakRss = 0;
  let slowest = { index: -1, ms: 0 };
  const started = performance.now();

  const runRange = (from: number, to: number, n: number): Promise<void> =>
    new Promise((resolve) => {
      const dir = path.join(work, `w${n}-${from}`);
      mkdirSync(dir, { recursive: true });
      const proc = spawn(
        process.execPath,
        [
          '--import',
          'tsx',
          import.meta.filename,
          '--child',
          '--from',
          String(from),
          '--to',
          String(to),
          '--inbox',
          inbox,
          '--dir',
          dir,
          '--seed',
          values.seed as string,
        ],
        { stdio: ['ignore', 'pipe', 'inherit'] },
      );
      let current = from;
      let finished = false;
      let watchdog = setTimeout(onHang, timeoutMs);
      function onHang() {
        hangs.push(current);
        proc.kill('SIGKILL');
      }
      createInterface({ input: proc.stdout }).on('line', (line) => {
        clearTimeout(watchdog);
        watchdog = setTimeout(onHang, timeoutMs);
        const [kind, rest] = [line.slice(0, line.indexOf(' ')), line.slice(line.indexOf(' ') + 1)];
        if (kind === 'start') current = Number(rest);
        else if (kind === 'done') {
          const result = JSON.parse(rest) as CaseResult & { rss: number };
          results.push(result);
          peakRss = Math.max(peakRss, result.rss);
          if (result.ms > slowest.ms) slowest = { index: result.index, ms: result.ms };
          if (result.index === to - 1) finished = true;
          if (results.length % 5000 === 0)
            process.stdout.write(
              `${results.length} cases, ${crashes.length} crashes, ${hangs.length} hangs, ${((performance.now() - started) / 1000).toFixed(0)} s\n`,
            );
        } else if (kind === 'crash') {
          const index = Number(rest.slice(0, rest.indexOf(' ')));
          crashes.push({ index, error: JSON.parse(rest.slice(rest.indexOf(' ') + 1)) });
          if (index === to - 1) finished = true;
        }
      });
      proc.on('exit', (code, signal) => {
        clearTimeout(watchdog);
        rmSync(dir, { recursive: true, force: true });
        if (!finished && signal !== 'SIGKILL')
          crashes.push({ index: current, error: `child exited ${code ?? signal}` });
        // Go on after the case that hung or killed the child.
        if (!finished && current + 1 < to) pending.unshift([current + 1, to]);
        resolve();
      });
    });

  let n = 0;
  const worker = async () => {
    for (let range = pending.shift(); range !== undefined; range = pending.shift())
      await runRange(range[0], range[1], n++);
  };
  await Promise.all(Array.from({ length: Number(values.workers) }, worker));

  const seconds = (performance.now() - started) / 1000;
  const byMutation = new Map<
    string,
    { cases: number; loaded: number; quarantined: number; unexplained: number }
  >();
  for (const r of results) {
    const row = byMutation.get(r.mutation) ?? { cases: 0, loaded: 0, quarantined: 0, unexplained: 0 };
    row.cases++;
    if (r.status === 'quarantined') row.quarantined++;
    else row.loaded++;
    if (r.unexplained || (r.status === 'quarantined' && (r.location === '' || r.location === 'file')))
      row.unexplained++;
    byMutation.set(r.mutation, row);
  }
  const lines = [
    `${results.length} cases in ${seconds.toFixed(0)} s (seed ${values.seed}): ${crashes.length} crashes, ${hangs.length} hangs, peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MiB, slowest case ${slowest.ms.toFixed(0)} ms (#${slowest.index})`,
    '',
    '| mutation | cases | loaded or skipped | quarantined | quarantined without a clear place and reason |',
    '|---|---|---|---|---|',
    ...[...byMutation]
      .sort()
      .map(([m, r]) => `| ${m} | ${r.cases} | ${r.loaded} | ${r.quarantined} | ${r.unexplained} |`),
  ];
  process.stdout.write(`\n${lines.join('\n')}\n`);
  for (const crash of crashes.slice(0, 10))
    process.stdout.write(`crash #${crash.index}: ${crash.error.slice(0, 500)}\n`);
  if (hangs.length > 0) process.stdout.write(`hangs: ${hangs.slice(0, 20).join(', ')}\n`);
  const root = path.resolve(import.meta.dirname, '../..');
  mkdirSync(path.join(root, 'bench-out'), { recursive: true });
  writeFileSync(
    path.join(root, 'bench-out', 'fuzz.json'),
    `${JSON.stringify({ seed: values.seed, cases: results.length, seconds, peakRss, slowest, crashes, hangs, byMutation: Object.fromEntries(byMutation) }, null, 2)}\n`,
  );
  rmSync(work, { recursive: true, force: true });
  process.exitCode = crashes.length === 0 && hangs.length === 0 ? 0 : 1;
}
