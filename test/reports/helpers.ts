import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DuckDBInstance } from '@duckdb/node-api';

export const repoRoot = resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const reportsDir = join(repoRoot, 'reports');
export const buildDir = join(reportsDir, 'build');

export interface RemittanceRow {
  practice_id: string;
  remittances: number;
  claims: number;
  total_paid: string;
  claims_paid: string;
  plb_total: string;
}

/** Writes a warehouse holding only marts.remittance_summary, as dbt would leave it. */
export async function makeWarehouse(file: string, rows: RemittanceRow[]): Promise<void> {
  const db = await DuckDBInstance.create(file);
  const conn = await db.connect();
  try {
    await conn.run(`
      create schema marts;
      create table marts.remittance_summary (
        practice_id VARCHAR, remittances BIGINT, claims BIGINT,
        total_paid DECIMAL(18,2), claims_paid DECIMAL(18,2), plb_total DECIMAL(18,2)
      );`);
    for (const r of rows) {
      await conn.run(
        'insert into marts.remittance_summary values ($1, $2, $3, $4::DECIMAL(18,2), $5::DECIMAL(18,2), $6::DECIMAL(18,2))',
        [r.practice_id, r.remittances, r.claims, r.total_paid, r.claims_paid, r.plb_total],
      );
    }
  } finally {
    conn.disconnectSync();
    db.closeSync();
  }
}

/** True when strace can trace a child here (it needs ptrace, which some containers deny). */
export function canStrace(): boolean {
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=connect', '-o', '/dev/null', 'true']);
  return r.status === 0;
}

/**
 * Runs scripts/build-reports.sh against the given warehouse; the output is kept for the failure
 * message. With `connectLog`, the build runs under strace and every connect() is written there.
 */
export function buildReports(
  warehouse: string,
  connectLog?: string,
): { status: number | null; output: string } {
  const script = join(repoRoot, 'scripts/build-reports.sh');
  const [cmd, args] = connectLog
    ? ['strace', ['-f', '-qq', '-e', 'trace=connect', '-e', 'signal=none', '-o', connectLog, 'bash', script]]
    : ['bash', [script]];
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    env: { ...process.env, RCM_WAREHOUSE: warehouse },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

/** connect() calls in an strace log that leave the machine (anything but loopback and local sockets). */
export function offMachineConnects(straceLog: string): string[] {
  return straceLog
    .split('\n')
    .filter((line) => /connect\(/.test(line) && /sa_family=AF_INET6?\b/.test(line))
    .filter(
      (line) => !/inet_addr\("127\.|inet_pton\(AF_INET6, "::1"|inet_pton\(AF_INET6, "::ffff:127\./.test(line),
    );
}

export function walk(dir: string): string[] {
  const out: string[] = [];
  for (const name of readdirSync(dir)) {
    const p = join(dir, name);
    if (statSync(p).isDirectory()) out.push(...walk(p));
    else out.push(p);
  }
  return out;
}

export function readText(file: string): string {
  return readFileSync(file, 'utf8');
}

const mimeTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.parquet': 'application/octet-stream',
};

/** A static file server for the built site, on 127.0.0.1 only (directory URLs serve index.html). */
export async function serveStatic(root: string): Promise<{ url: string; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const pathname = decodeURIComponent(new URL(req.url ?? '/', 'http://127.0.0.1').pathname);
    let file = normalize(join(root, pathname));
    if (file !== root && !file.startsWith(root + sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      if (statSync(file).isDirectory()) file = join(file, 'index.html');
      const body = readFileSync(file);
      res.writeHead(200, { 'content-type': mimeTypes[extname(file)] ?? 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
    }
  });
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    close: () => new Promise<void>((ok) => server.close(() => ok())),
  };
}
