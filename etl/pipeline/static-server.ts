import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.parquet': 'application/octet-stream',
  '.arrow': 'application/vnd.apache.arrow.stream',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.webmanifest': 'application/manifest+json',
};

/**
 * Serves a built static site on the loopback interface only: the reports hold practice data and are meant
 * for the machine they were built on. Resolves once listening; port 0 picks a free port.
 */
export function serveStatic(rootDir: string, port: number): Promise<{ server: Server; url: string }> {
  const root = path.resolve(rootDir);
  const server = createServer((request, response) => {
    const urlPath = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = resolveFile(root, urlPath);
    if (!file) {
      response.writeHead(404, { 'content-type': 'text/plain' }).end('not found\n');
      return;
    }
    const stat = statSync(file);
    const etag = `W/"${stat.size.toString(16)}-${Math.floor(stat.mtimeMs).toString(16)}"`;
    const headers = {
      'content-type': contentTypes[path.extname(file)] ?? 'application/octet-stream',
      'cache-control': cacheControl(urlPath),
      etag,
    };
    if (request.headers['if-none-match'] === etag) {
      response.writeHead(304, headers).end();
      return;
    }
    response.writeHead(200, headers);
    createReadStream(file).pipe(response);
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => {
      const address = server.address();
      const actual = typeof address === 'object' && address ? address.port : port;
      resolve({ server, url: `http://127.0.0.1:${actual}/` });
    });
  });
}

/**
 * SvelteKit names the files under /_app/immutable/ by content hash, so a browser may keep them for good (the
 * DuckDB engine and the pages' code are fetched once, not on every page); everything else (pages, their data)
 * changes with each build and is revalidated with its ETag on every use.
 */
export function cacheControl(urlPath: string): string {
  return urlPath.startsWith('/_app/immutable/') ? 'public, max-age=31536000, immutable' : 'no-cache';
}

/** Maps a URL path to a file under root: the file itself, its index.html, or `<path>.html`; never outside root. */
function resolveFile(root: string, urlPath: string): string | null {
  const target = path.resolve(root, `.${urlPath}`);
  if (target !== root && !target.startsWith(`${root}${path.sep}`)) return null;
  for (const candidate of [target, path.join(target, 'index.html'), `${target}.html`]) {
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
  }
  return null;
}
