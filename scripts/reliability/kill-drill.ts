/**
 * Kill drill: SIGKILL at seeded random moments during `rcm load` (the first load of a new warehouse included)
 * and `rcm transform` (dbt build, every process of it), as a power cut or the OOM killer would. After each kill
 * the warehouse must open, hold no half-loaded file and no doubled row, and a re-run must end with a warehouse
 * whose raw rows, registry and marts equal a clean run's.
 *
 *   npx tsx scripts/reliability/kill-drill.ts [--kills 50] [--seed drill] [--practices 2] [--months 1]
 *
 * Prints one line per kill and a Markdown summary; writes bench-out/kill-drill.json. Not a test (the test suite
 * runs a handful of the same kills in test/reliability/); results are recorded in docs/reliability.md.
 */
import { spawn, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Rng } from '../../etl/generate/prng.ts';
import { openWarehouse, WalReplayError } from '../../etl/warehouse/connection.ts';
import { type Fingerprint, fingerprint } from '../../etl/warehouse/fingerprint.ts';

const root = path.resolve(import.meta.dirname, '../..');
const rcm = path.join(root, 'bin', 'rcm.mjs');
const { values } = parseArgs({
  options: {
    kills: { type: 'string', default: '50' },
    seed: { type: 'string', default: 'drill' },
    practices: { type: 'string', default: '2' },
    months: { type: 'string', default: '1' },
  },
});
const kills = Number(values.kills);
const rng = new Rng(`kill-drill:${values.seed}`);
const work = mkdtempSync(path.join(os.tmpdir(), 'rcm-kill-drill-'));
const inbox = path.join(work, 'inbox');

type Phase = 'load' | 'transform';
interface Kill {
  n: number;
  phase: Phase;
  delayMs: number;
  /** The process was still running when killed (a kill after it ended proves nothing and is drawn again). */
  opened: boolean;
  orphanRows: number;
  partialFiles: number;
  rerunEqual: boolean;
  walLeft: boolean;
}

function run(args: string[], database: string): void {
  const result = spawnSync(process.execPath, [rcm, ...args, '--warehouse', database], {
    cwd: root,
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
  });
  if (result.status !== 0) throw new Error(`rcm ${args[0]} failed: ${result.stdout}${result.stderr}`);
}

async function fingerprintOf(database: string): Promise<Fingerprint> {
  const warehouse = await openWarehouse(database);
  try {
    return await fingerprint(warehouse.connection);
  } finally {
    warehouse.close();
  }
}

/** Starts `rcm ARGS` in its own process group, SIGKILLs the whole group after `delayMs`; false if it ended first. */
function killAfter(args: string[], database: string, delayMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [rcm, ...args, '--warehouse', database], {
      cwd: root,
      stdio: 'ignore',
      detached: true,
    });
    let ended = false;
    child.on('exit', () => {
      ended = true;
    });
    setTimeout(() => {
      if (ended) return resolve(false);
      try {
        process.kill(-(child.pid as number), 'SIGKILL');
      } catch {
        // already gone
      }
      child.on('exit', () => setTimeout(() => resolve(true), 100));
    }, delayMs);
  });
}

/** Which parts of two fingerprints differ, for the drill's log. */
function differences(a: Fingerprint, b: Fingerprint): string[] {
  const found: string[] = [];
  if (JSON.stringify(a.registry) !== JSON.stringify(b.registry)) found.push('registry');
  if (a.orphanRows !== b.orphanRows) found.push(`orphan rows ${a.orphanRows} vs ${b.orphanRows}`);
  for (const kind of ['rows', 'marts'] as const) {
    for (const key of new Set([...Object.keys(a[kind]), ...Object.keys(b[kind])]))
      if (a[kind][key] !== b[kind][key]) found.push(`${kind} ${key}`);
  }
  return found;
}

function timed(action: () => void): number {
  const start = performance.now();
  action();
  return performance.now() - start;
}

const gen = spawnSync(
  process.execPath,
  [
    rcm,
    'generate',
    '--out',
    inbox,
    '--practices',
    values.practices,
    '--providers',
    '1',
    '--months',
    values.months,
  ],
  { cwd: root, encoding: 'utf8' },
);
if (gen.status !== 0) throw new Error(gen.stderr);

// The clean run every kill is compared with, and the loaded-but-not-modelled state the dbt kills start from.
const clean = path.join(work, 'clean');
const loadedDir = path.join(work, 'loaded');
const loadMs = timed(() => run(['load', inbox], path.join(clean, 'rcm.duckdb')));
cpSync(clean, loadedDir, { recursive: true });
const cleanLoaded = await fingerprintOf(path.join(clean, 'rcm.duckdb'));
const transformMs = timed(() => run(['transform'], path.join(clean, 'rcm.duckdb')));
const cleanFull = await fingerprintOf(path.join(clean, 'rcm.duckdb'));
process.stdout.write(
  `clean run: load ${(loadMs / 1000).toFixed(1)} s (${cleanFull.registry.length} files), transform ${(transformMs / 1000).toFixed(1)} s, ${Object.keys(cleanFull.marts).length} marts\n`,
);

const results: Kill[] = [];
while (results.length < kills) {
  const phase: Phase = rng.chance(0.5) ? 'load' : 'transform';
  const dir = path.join(work, `kill-${results.length + 1}`);
  rmSync(dir, { recursive: true, force: true });
  if (phase === 'transform') cpSync(loadedDir, dir, { recursive: true });
  else mkdirSync(dir, { recursive: true });
  const database = path.join(dir, 'rcm.duckdb');
  const delayMs = Math.round(rng.next() * (phase === 'load' ? loadMs : transformMs));
  if (!(await killAfter([phase, ...(phase === 'load' ? [inbox] : [])], database, delayMs))) {
    rmSync(dir, { recursive: true, force: true });
    continue;
  }
  const walLeft = existsSync(`${database}.wal`);
  let opened = true;
  let after: Fingerprint | null = null;
  try {
    after = await fingerprintOf(database);
  } catch (error) {
    if (!(error instanceof WalReplayError)) throw error;
    opened = false;
  }
  // A loaded file must hold exactly the rows the clean load gave it.
  const partialFiles =
    after === null
      ? 0
      : new Set(
          Object.entries(after.rows)
            .filter(([key, count]) => cleanLoaded.rows[key] !== count)
            .map(([key]) => key.split('|')[1]),
        ).size;
  if (!opened) run(['recover'], database);
  if (phase === 'load') run(['load', inbox], database);
  run(['transform'], database);
  const rerun = await fingerprintOf(database);
  const kill: Kill = {
    n: results.length + 1,
    phase,
    delayMs,
    opened,
    orphanRows: after?.orphanRows ?? -1,
    partialFiles,
    rerunEqual: differences(rerun, cleanFull).length === 0,
    walLeft,
  };
  if (!kill.rerunEqual)
    process.stdout.write(`  differs from the clean run: ${differences(rerun, cleanFull).join('; ')}\n`);
  results.push(kill);
  process.stdout.write(`${JSON.stringify(kill)}\n`);
  rmSync(dir, { recursive: true, force: true });
}

const count = (phase: Phase, test: (k: Kill) => boolean) =>
  results.filter((k) => k.phase === phase && test(k)).length;
const lines = [
  '| phase | kills | WAL left behind | opened without recovery | files half-loaded | orphan rows | re-run equal to clean |',
  '|---|---|---|---|---|---|---|',
  ...(['load', 'transform'] as Phase[]).map(
    (phase) =>
      `| ${phase} | ${count(phase, () => true)} | ${count(phase, (k) => k.walLeft)} | ${count(phase, (k) => k.opened)} | ${count(phase, (k) => k.partialFiles > 0)} | ${results.filter((k) => k.phase === phase).reduce((s, k) => s + Math.max(0, k.orphanRows), 0)} | ${count(phase, (k) => k.rerunEqual)} |`,
  ),
];
process.stdout.write(`\n${lines.join('\n')}\n`);
mkdirSync(path.join(root, 'bench-out'), { recursive: true });
writeFileSync(
  path.join(root, 'bench-out', 'kill-drill.json'),
  `${JSON.stringify({ seed: values.seed, loadMs, transformMs, results }, null, 2)}\n`,
);
rmSync(work, { recursive: true, force: true });
const failed = results.filter((k) => !k.opened || k.partialFiles > 0 || k.orphanRows !== 0 || !k.rerunEqual);
process.exitCode = failed.length === 0 ? 0 : 1;
