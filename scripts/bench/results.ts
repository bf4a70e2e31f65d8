import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '../..');

/** Where every benchmark writes its results: bench-out/ (not tracked), or RCM_BENCH_OUT (the smoke test's temp folder). */
export const benchOutDir = process.env.RCM_BENCH_OUT ?? path.join(root, 'bench-out');

/** What a benchmark result must name so that it can be compared: when, on what, with which versions. */
export interface MachineFacts {
  date: string;
  cpus: number;
  cpuModel: string;
  memoryGb: number;
  os: string;
  node: string;
  duckdb: string;
  dbt: string;
  loadAverage: string;
}

export function machineFacts(): MachineFacts {
  const pkg = JSON.parse(readFileSync(path.join(root, 'package.json'), 'utf8'));
  let dbt = 'not installed';
  try {
    // the pinned line of requirements.txt: asking dbt itself costs seconds and prints plugin noise
    const pinned = readFileSync(path.join(root, 'requirements.txt'), 'utf8').match(/^dbt-core==(\S+)/m);
    dbt = pinned?.[1] ?? dbt;
  } catch {
    // no requirements file: leave it named as missing
  }
  let kernel = os.release();
  try {
    kernel = execFileSync('uname', ['-sr'], { encoding: 'utf8' }).trim();
  } catch {
    // uname missing: os.release() is enough
  }
  return {
    date: new Date().toISOString(),
    cpus: os.cpus().length,
    cpuModel: os.cpus()[0]?.model ?? 'unknown',
    memoryGb: Math.round(os.totalmem() / 2 ** 30),
    os: kernel,
    node: process.versions.node,
    duckdb: pkg.dependencies['@duckdb/node-api'],
    dbt,
    loadAverage: os.loadavg()[0]?.toFixed(1) ?? '?',
  };
}
