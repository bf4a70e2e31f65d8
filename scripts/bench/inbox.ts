/**
 * Inbox load benchmark: the demo inbox (many small files) loaded into a fresh warehouse with every file committed
 * alone and with the default batches, in the same run, against the raw floor of hashing and copying the same
 * files (what archiving costs with no parsing or storing). Each load is the real `rcm load` in its own process.
 *
 *   npx tsx scripts/bench/inbox.ts            # the demo practice (generate defaults)
 *   npx tsx scripts/bench/inbox.ts --inbox DIR
 *
 * Output: a Markdown table and bench-out/inbox-results.json. Not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from '../../etl/generate/index.ts';
import { listInbox } from '../../etl/load/inbox.ts';
import { benchOutDir } from './results.ts';

const root = path.resolve(import.meta.dirname, '../..');
const benchDir = benchOutDir;

const { values } = parseArgs({ options: { inbox: { type: 'string' } } });
mkdirSync(benchDir, { recursive: true });
const inbox = values.inbox ?? path.join(benchDir, 'inbox-demo');
if (!values.inbox) await generate({ outDir: inbox, overwrite: true });
const files = listInbox(inbox);
const bytes = files.reduce((sum, f) => sum + statSync(f.filePath).size, 0);

function floor(): number {
  const out = path.join(benchDir, 'inbox-floor');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(out, { recursive: true });
  const t0 = performance.now();
  files.forEach((file, i) => {
    createHash('sha256').update(readFileSync(file.filePath)).digest('hex');
    copyFileSync(file.filePath, path.join(out, String(i)));
  });
  return (performance.now() - t0) / 1000;
}

function load(label: string, env: Record<string, string>): { label: string; seconds: number } {
  const dir = path.join(benchDir, `inbox-${label}`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const t0 = performance.now();
  execFileSync(
    process.execPath,
    [path.join(root, 'bin', 'rcm.mjs'), 'load', inbox, '--warehouse', path.join(dir, 'rcm.duckdb')],
    {
      env: { ...process.env, ...env },
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return { label, seconds: (performance.now() - t0) / 1000 };
}

const floorSeconds = floor();
const results = [load('file-by-file', { RCM_LOAD_BATCH_FILES: '1' }), load('batched', {})];
const rows = results.map((r) => ({
  ...r,
  msPerFile: (r.seconds * 1000) / files.length,
  mbPerSecond: bytes / 1e6 / r.seconds,
  vsFloor: r.seconds / floorSeconds,
}));
const load1 = os.loadavg()[0]?.toFixed(1);
console.log(
  `${files.length} files, ${(bytes / 1e6).toFixed(1)} MB; floor (hash + copy) ${floorSeconds.toFixed(2)} s; load average ${load1}`,
);
console.log('| load | wall s | ms / file | MB/s | × floor |\n|---|---|---|---|---|');
for (const r of rows) {
  console.log(
    `| ${r.label} | ${r.seconds.toFixed(1)} | ${r.msPerFile.toFixed(1)} | ${r.mbPerSecond.toFixed(2)} | ${r.vsFloor.toFixed(1)} |`,
  );
}
writeFileSync(
  path.join(benchDir, 'inbox-results.json'),
  `${JSON.stringify({ files: files.length, bytes, floorSeconds, loadAverage: load1, rows }, null, 2)}\n`,
);
