import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { serveStatic } from '../../etl/pipeline/static-server.ts';

/** The loopback server behind `rcm serve` and `rcm pack`: what it answers, and what a browser may cache. */
describe('static report server', () => {
  const root = mkdtempSync(path.join(tmpdir(), 'rcm-static-'));
  let site: Awaited<ReturnType<typeof serveStatic>>;

  beforeAll(async () => {
    mkdirSync(path.join(root, '_app', 'immutable'), { recursive: true });
    writeFileSync(path.join(root, '_app', 'immutable', 'engine.abc123.js'), 'export const x = 1;\n');
    writeFileSync(path.join(root, 'index.html'), '<p>home</p>');
    mkdirSync(path.join(root, 'owner'));
    writeFileSync(path.join(root, 'owner', 'P001.html'), '<p>pack</p>');
    writeFileSync(path.join(tmpdir(), 'rcm-static-outside.txt'), 'not served');
    site = await serveStatic(root, 0);
  });
  afterAll(async () => {
    await new Promise((done) => site.server.close(done));
    rmSync(root, { recursive: true, force: true });
    rmSync(path.join(tmpdir(), 'rcm-static-outside.txt'), { force: true });
  });

  const get = (urlPath: string, headers: Record<string, string> = {}) =>
    fetch(new URL(urlPath, site.url), { headers });

  it('listens on the loopback interface only', () => {
    expect(site.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/$/);
  });

  it('lets a browser keep the content-hashed build files and revalidate everything else', async () => {
    const asset = await get('_app/immutable/engine.abc123.js');
    expect(asset.status).toBe(200);
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(await asset.text()).toBe('export const x = 1;\n');

    const page = await get('owner/P001');
    expect(page.status).toBe(200);
    expect(page.headers.get('cache-control')).toBe('no-cache');
    expect(await page.text()).toBe('<p>pack</p>');
  });

  it('answers 304 without a body when the browser already holds the same file, 200 once it changed', async () => {
    const first = await get('index.html');
    const etag = first.headers.get('etag');
    expect(etag).toMatch(/^W\/"[0-9a-f]+-[0-9a-f]+"$/);
    const again = await get('index.html', { 'if-none-match': etag as string });
    expect(again.status).toBe(304);
    expect(await again.text()).toBe('');

    // a rebuilt page (other size, later time) no longer matches the browser's copy
    writeFileSync(path.join(root, 'index.html'), '<p>home, rebuilt</p>');
    const changed = await get('index.html', { 'if-none-match': etag as string });
    expect(changed.status).toBe(200);
    expect(await changed.text()).toBe('<p>home, rebuilt</p>');
  });

  it('serves nothing outside its folder and answers 404 for what it does not hold', async () => {
    expect((await get('no/such/page')).status).toBe(404);
    expect((await get('%2e%2e/rcm-static-outside.txt')).status).toBe(404);
  });
});
