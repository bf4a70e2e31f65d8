import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * The benchmark suite at its smallest sizes: proves every script still runs and writes its results with the
 * machine facts. Asserts nothing about time; the figures of a smoke run mean nothing.
 */
describe('benchmark suite, smoke run', () => {
  const scratch = tempWarehouse('bench-smoke');
  afterAll(() => scratch.remove());

  it('runs every benchmark and writes one results file naming machine, versions and date', () => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/bench/all.ts', '--smoke'], {
      cwd: repoRoot,
      env: { ...process.env, RCM_BENCH_OUT: scratch.dir },
      encoding: 'utf8',
      maxBuffer: 64 << 20,
    });
    expect(run.status, run.stderr).toBe(0);
    const results = readFileSync(path.join(scratch.dir, 'results.md'), 'utf8');
    for (const script of ['pm-csv.ts', 'x12.ts', 'generate.ts', 'inbox.ts', 'billing-company.ts'])
      expect(results).toContain(`scripts/bench/${script}`);
    expect(results).toMatch(/DuckDB 1\.4\.5-r\.1; dbt-core 1\.11\.\d+/);

    // the end-to-end run of one generated practice: its claim lines from the generator's manifest
    const billing = JSON.parse(readFileSync(path.join(scratch.dir, 'billing-company-results.json'), 'utf8'));
    const manifest = JSON.parse(readFileSync(path.join(scratch.dir, 'smoke-inbox', 'manifest.json'), 'utf8'));
    expect(billing.results[0].practices).toBe(1);
    expect(billing.results[0].chargeLines).toBe(manifest.practices[0].charge_lines);
    expect([0, 3]).toContain(billing.results[0].steps.load.exitCode);
    expect(readFileSync(path.join(scratch.dir, 'billing-company.svg'), 'utf8')).toMatch(/^<svg [^>]*xmlns=/);
  }, 900_000);
});
