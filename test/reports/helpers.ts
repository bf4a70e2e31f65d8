import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { extname, join, relative } from 'node:path';
import { repoRoot } from '../../etl/config.ts';

export { repoRoot };
export const reportsDir = join(repoRoot, 'reports');

// connect() only, in every child; with seccomp-bpf the traced processes stop at connect() alone, not at every
// system call, so tracing barely slows the build (strace falls back to stopping at each call where it cannot).
const STRACE_CONNECT = ['--seccomp-bpf', '-f', '-qq', '-e', 'trace=connect', '-e', 'signal=none'];

/** True when strace can trace a child here (it needs ptrace, which some containers deny). */
export function canStrace(): boolean {
  const r = spawnSync('strace', [...STRACE_CONNECT, '-o', '/dev/null', 'true']);
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
    ? ['strace', [...STRACE_CONNECT, '-o', connectLog, 'bash', script]]
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

// Hosts that built code only ever names in order to download from them.
const FETCH_HOSTS =
  /extensions\.duckdb\.org|cdn\.jsdelivr\.net|unpkg\.com|fonts\.googleapis\.com|fonts\.gstatic\.com|cdnjs\.cloudflare\.com|esm\.sh|cdn\.skypack\.dev|cdn\.segment\.com|api\.segment\.io/;
const EXTERNAL = String.raw`https?:\/\/(?!127\.0\.0\.1[:/"'\s)]|localhost[:/"'\s)])`;
// Places where an absolute URL is fetched rather than merely shown or linked to.
const FETCH_CONTEXTS: Record<string, RegExp[]> = {
  '.html': [
    new RegExp(
      String.raw`<(?:script|img|iframe|source|video|audio|embed|track|input)\b[^>]*\ssrc\s*=\s*["']?${EXTERNAL}`,
      'i',
    ),
    new RegExp(String.raw`<link\b[^>]*\shref\s*=\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`\ssrcset\s*=\s*["'][^"']*${EXTERNAL}`, 'i'),
    new RegExp(String.raw`<object\b[^>]*\sdata\s*=\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`@import\s+["']${EXTERNAL}`, 'i'),
  ],
  '.css': [
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`, 'i'),
    new RegExp(String.raw`@import\s+["']${EXTERNAL}`, 'i'),
  ],
  '.js': [
    new RegExp(
      String.raw`\b(?:fetch|import|importScripts|Worker|SharedWorker|EventSource|WebSocket|sendBeacon)\s*\(\s*["'\`]${EXTERNAL}`,
    ),
    new RegExp(String.raw`\bnew\s+URL\s*\(\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\bfrom\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\.open\s*\(\s*["'\`][A-Z]+["'\`]\s*,\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`\.src\s*=\s*["'\`]${EXTERNAL}`),
    new RegExp(String.raw`url\(\s*["']?${EXTERNAL}`),
  ],
  '.json': [new RegExp(String.raw`"(?:src|url|href|start_url|scope)"\s*:\s*"${EXTERNAL}`)],
  '.webmanifest': [new RegExp(String.raw`"(?:src|url|start_url|scope)"\s*:\s*"${EXTERNAL}`)],
};
const TEXT_EXTENSIONS = new Set([
  '.html',
  '.js',
  '.mjs',
  '.cjs',
  '.css',
  '.json',
  '.webmanifest',
  '.svg',
  '.txt',
]);

/**
 * Built text assets that would fetch from another host: a known download host named anywhere, or an absolute
 * non-loopback URL where a browser fetches it (script or link source, CSS url(), fetch/import/Worker, …).
 */
export function assetsFetchingOffMachine(buildDir: string): string[] {
  const offenders: string[] = [];
  for (const file of walk(buildDir)) {
    const ext = extname(file);
    if (!TEXT_EXTENSIONS.has(ext)) continue;
    const text = readText(file);
    const rel = relative(buildDir, file);
    const host = FETCH_HOSTS.exec(text);
    if (host)
      offenders.push(
        `${rel}: names ${host[0]}: …${text.slice(Math.max(0, host.index - 80), host.index + 80)}…`,
      );
    for (const re of FETCH_CONTEXTS[ext === '.mjs' || ext === '.cjs' ? '.js' : ext] ?? []) {
      const m = re.exec(text);
      if (m) offenders.push(`${rel}: …${text.slice(Math.max(0, m.index - 40), m.index + 120)}…`);
    }
  }
  return offenders;
}
