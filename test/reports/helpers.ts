import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { repoRoot } from '../../etl/config.ts';

export { repoRoot };
export const reportsDir = join(repoRoot, 'reports');

/** True when strace can trace a child here (it needs ptrace, which some containers deny). */
export function canStrace(): boolean {
  const r = spawnSync('strace', ['-f', '-qq', '-e', 'trace=connect', '-o', '/dev/null', 'true']);
  return r.status === 0;
}

/**
 * Runs scripts/build-reports.sh against the given warehouse, writing the site to `outDir` (never reports/build,
 * the user's site); the output is kept for the failure message. With `connectLog`, the build runs under strace
 * and every connect() is written there; `env` adds to the build's environment (e.g. RCM_REPORTS_CACHE).
 */
export function buildReports(
  warehouse: string,
  outDir: string,
  connectLog?: string,
  env: Record<string, string> = {},
): { status: number | null; output: string } {
  const script = join(repoRoot, 'scripts/build-reports.sh');
  const [cmd, args] = connectLog
    ? ['strace', ['-f', '-qq', '-e', 'trace=connect', '-e', 'signal=none', '-o', connectLog, 'bash', script]]
    : ['bash', [script]];
  const r = spawnSync(cmd, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env, RCM_WAREHOUSE: warehouse, RCM_REPORTS_OUT: outDir },
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

/**
 * Runs `visit` on every item, at most `limit` at a time, in the items' order of starting. A page visit mostly
 * waits (Evidence fetches each source's data file in turn), so a few pages at once take far less wall time.
 */
export async function eachConcurrently<T>(
  items: readonly T[],
  limit: number,
  visit: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const item = items[next] as T;
      next += 1;
      await visit(item);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}
