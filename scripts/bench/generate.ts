/**
 * Generator benchmark: wall and CPU time, output throughput and peak RSS of `generate()` for growing numbers of
 * practices (peak RSS must stay flat: memory is bounded by one practice's claims in flight), against the raw
 * floor of writing the same bytes into the same number of files. Each run is its own child process, so its
 * peak RSS is its own.
 *
 *   npx tsx scripts/bench/generate.ts                    # 1, 3 and 10 practices × 24 months
 *   npx tsx scripts/bench/generate.ts --practices 1,50   # the billing-company run of the issue
 *
 * Output: a Markdown table and bench-out/generate-results.json. Not a test: nothing asserts.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
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
  claims: number;
  chargeLines: number;
  files: number;
  bytes: number;
  seconds: number;
  cpuSeconds: number;
  peakRssMb: number;
  floorSeconds: number;
}

async function child(practices: number, months: number, out: string): Promise<void> {
  const t0 = performance.now();
  const u0 = process.cpuUsage();
  const m = await generate({ outDir: out, practices, months, overwrite: true, seed: 'bench' });
  const seconds = (performance.now() - t0) / 1000;
  const cpu = process.cpuUsage(u0);
  const bytes = m.files.reduce((s, f) => s + f.bytes, 0);
  // The floor: the same number of files and bytes written from ready-made buffers.
  const floorDir = `${out}-floor`;
  rmSync(floorDir, { recursive: true, force: true });
  mkdirSync(floorDir, { recursive: true });
  const per = Math.max(1, Math.floor(bytes / m.files.length));
  const block = Buffer.alloc(per, 0x41);
  const f0 = performance.now();
  for (let i = 0; i < m.files.length; i++) writeFileSync(path.join(floorDir, `f${i}`), block);
  const floorSeconds = (performance.now() - f0) / 1000;
  rmSync(floorDir, { recursive: true, force: true });
  const result: Result = {
    practices,
    months,
    claims: m.practices.reduce((s, p) => s + p.claims, 0),
    chargeLines: m.practices.reduce((s, p) => s + p.charge_lines, 0),
    files: m.files.length,
    bytes,
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
    floorSeconds,
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      child: { type: 'boolean' },
      practices: { type: 'string', default: '1,3,10' },
      months: { type: 'string', default: '24' },
      out: { type: 'string', default: path.join(os.tmpdir(), 'rcm-bench-generate') },
      keep: { type: 'boolean' },
    },
  });
  const months = Number(values.months);
  if (values.child) {
    await child(Number(values.practices), months, values.out as string);
    return;
  }
  mkdirSync(benchDir, { recursive: true });
  const results: Result[] = [];
  for (const n of (values.practices as string).split(',').map(Number)) {
    const out = `${values.out}-${n}`;
    rmSync(out, { recursive: true, force: true });
    const text = execFileSync(
      process.execPath,
      [
        '--import',
        'tsx',
        import.meta.filename,
        '--child',
        '--practices',
        String(n),
        '--months',
        String(months),
        '--out',
        out,
      ],
      { cwd: root, encoding: 'utf8', maxBuffer: 1 << 20 },
    );
    const r = JSON.parse(text.trim().split('\n').at(-1) as string) as Result;
    results.push(r);
    if (!values.keep) rmSync(out, { recursive: true, force: true });
    process.stderr.write(
      `${n} practice(s): ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMb.toFixed(0)} MB\n`,
    );
  }
  const rows = results.map((r) => {
    const mb = r.bytes / 1e6;
    return `| ${r.practices} × ${r.months} mo | ${r.claims.toLocaleString('en-US')} | ${r.chargeLines.toLocaleString('en-US')} | ${r.files.toLocaleString('en-US')} | ${mb.toFixed(0)} | ${r.seconds.toFixed(1)} | ${r.cpuSeconds.toFixed(1)} | ${(mb / r.seconds).toFixed(1)} | ${Math.round(r.chargeLines / r.seconds).toLocaleString('en-US')} | ${r.peakRssMb.toFixed(0)} | ${(r.seconds / r.floorSeconds).toFixed(1)}× |`;
  });
  const table = [
    `Generator benchmark (${os.cpus().length} cores, Node ${process.versions.node}, load average ${os.loadavg()[0]?.toFixed(1)} at the end)`,
    '',
    '| run | claims | charge lines | files | MB | wall s | CPU s | MB/s | lines/s | peak RSS MB | vs write floor |',
    '|---|---|---|---|---|---|---|---|---|---|---|',
    ...rows,
  ].join('\n');
  process.stdout.write(`${table}\n`);
  writeFileSync(path.join(benchDir, 'generate-results.json'), `${JSON.stringify(results, null, 2)}\n`);
}

await main();
