// reports/tools/prerender-shards.mjs and reuse-record.mjs: a prerender split among workers returns what one
// prerender would (the pages of all shards, SvelteKit's closing checks on the whole) and leaves one page-reuse
// record. The crawl itself, claims included, runs in the real build: test/reports/pages.test.ts builds its sites in
// shards and compares a site built in one against one built in two.
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';

type Summary = {
  kept: number;
  reasons: [string, number][];
  verify: boolean;
  counts: { bySlices: number; run: number; planned: number; contradicted: number };
};
type ShardResult = {
  prerendered: {
    pages: Map<string, unknown>;
    assets: Map<string, unknown>;
    redirects: Map<string, unknown>;
    paths: string[];
  };
  prerender_map: Map<string, boolean | 'auto'>;
  shard: {
    reuse?: Summary;
    prerendered_routes: string[];
    expected_hashlinks: [string, string[]][];
    actual_hashlinks: [string, string[]][];
    handle_missing_id: string;
  };
};
type Shards = {
  shardCount(env: Record<string, string | undefined>): number;
  joinShards(results: ShardResult[]): {
    prerendered: ShardResult['prerendered'];
    prerender_map: Map<string, unknown>;
  };
  prerender(
    run: (opts: {
      out: string;
      shard?: { index: number; count: number; claims: string };
    }) => Promise<ShardResult>,
    opts: { out: string },
  ): Promise<{ prerendered: ShardResult['prerendered'] }>;
};
type ReuseRecord = {
  RECORD: string;
  shardPart(file: string, index: number): string;
  writeRecord(file: string, head: string, pages: [string, string][]): void;
  joinShardRecords(dir: string, summaries: Summary[]): Summary;
  summaryLine(summary: Summary): string;
};

let S: Shards;
let R: ReuseRecord;
const dir = mkdtempSync(path.join(tmpdir(), 'rcm-prerender-shards-'));

beforeAll(async () => {
  const tools = path.join(repoRoot, 'reports/tools');
  S = await import(pathToFileURL(path.join(tools, 'prerender-shards.mjs')).href);
  R = await import(pathToFileURL(path.join(tools, 'reuse-record.mjs')).href);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function shard(
  pages: string[],
  routes: string[],
  links: [string, string[]][] = [],
  ids: [string, string[]][] = [],
  map: [string, boolean | 'auto'][] = [['/owner/[practice]', true]],
): ShardResult {
  return {
    prerendered: {
      pages: new Map(pages.map((p) => [p, { file: `${p.slice(1) || 'index'}.html` }])),
      assets: new Map([['/api/evidencemeta.json', { type: 'application/json' }]]),
      redirects: new Map(),
      paths: [...pages, '/api/evidencemeta.json'],
    },
    prerender_map: new Map(map),
    shard: {
      prerendered_routes: routes,
      expected_hashlinks: links,
      actual_hashlinks: ids,
      handle_missing_id: 'fail',
    },
  };
}

describe('joinShards', () => {
  it('returns the pages, assets and paths of every shard, each once', () => {
    const joined = S.joinShards([
      shard(['/', '/owner/P001'], ['/', '/owner/[practice]']),
      shard(['/owner/P002'], ['/owner/[practice]']),
    ]);
    expect([...joined.prerendered.pages.keys()].sort()).toEqual(['/', '/owner/P001', '/owner/P002']);
    expect([...joined.prerendered.assets.keys()]).toEqual(['/api/evidencemeta.json']);
    expect(joined.prerendered.paths.sort()).toEqual([
      '/',
      '/api/evidencemeta.json',
      '/owner/P001',
      '/owner/P002',
    ]);
  });

  it("keeps a route's prerender option as the shard that raised it left it", () => {
    const joined = S.joinShards([
      shard(
        ['/'],
        ['/', '/a', '/b'],
        [],
        [],
        [
          ['/a', false],
          ['/b', 'auto'],
        ],
      ),
      shard(
        [],
        [],
        [],
        [],
        [
          ['/a', true],
          ['/b', true],
        ],
      ),
    ]);
    expect(joined.prerender_map.get('/a')).toBe(true);
    expect(joined.prerender_map.get('/b')).toBe('auto');
  });

  it('checks a fragment link against the page another shard rendered', () => {
    // Shard 0 links to /owner/P002#ar; shard 1 rendered /owner/P002.
    const link: [string, string[]][] = [['/owner/P002#ar', ['/owner/P001']]];
    const routes = ['/owner/[practice]'];
    expect(() =>
      S.joinShards([
        shard(['/owner/P001'], routes, link),
        shard(['/owner/P002'], routes, [], [['/owner/P002', ['ar']]]),
      ]),
    ).not.toThrow();
    expect(() =>
      S.joinShards([
        shard(['/owner/P001'], routes, link),
        shard(['/owner/P002'], routes, [], [['/owner/P002', ['denials']]]),
      ]),
    ).toThrow(/links to \/owner\/P002#ar, but no element with id="ar"[\s\S]*- \/owner\/P001/);
    // The top of a page, and a page no shard rendered, are not checked (as SvelteKit).
    expect(() =>
      S.joinShards([
        shard(['/owner/P001'], routes, [
          ['/owner/P002#top', ['/owner/P001']],
          ['/x#y', ['/owner/P001']],
        ]),
      ]),
    ).not.toThrow();
  });

  it('fails when no shard reached a prerenderable route', () => {
    expect(() => S.joinShards([shard(['/'], ['/']), shard([], [])])).toThrow(
      /not prerendered[\s\S]*\/owner\/\[practice\]/,
    );
  });
});

describe('prerender in shards', () => {
  it('runs one worker a shard with a shared claims folder, then joins them', async () => {
    const out = path.join(dir, 'output');
    const record = path.join(out, 'prerendered/dependencies', R.RECORD);
    const seen: { index: number; count: number; claims: string }[] = [];
    const previous = process.env.RCM_PRERENDER_SHARD_COUNT;
    process.env.RCM_PRERENDER_SHARD_COUNT = '3';
    try {
      const joined = await S.prerender(
        async (opts) => {
          if (!opts.shard) throw new Error('not run as a shard');
          seen.push(opts.shard);
          expect(existsSync(opts.shard.claims)).toBe(true);
          const page = `/p${opts.shard.index}`;
          R.writeRecord(R.shardPart(record, opts.shard.index), 'HEAD', [[page, `record-of-${page}`]]);
          const result = shard([page], opts.shard.index === 0 ? ['/owner/[practice]'] : []);
          result.shard.reuse = {
            kept: opts.shard.index,
            reasons: [['data changed', 1]],
            verify: false,
            counts: { bySlices: 10, run: 1, planned: 2, contradicted: 0 },
          };
          return result;
        },
        { out },
      );
      expect(seen.map((s) => s.index).sort()).toEqual([0, 1, 2]);
      expect(new Set(seen.map((s) => s.claims)).size).toBe(1);
      expect(seen.every((s) => s.count === 3)).toBe(true);
      expect(existsSync(seen[0]?.claims as string)).toBe(false);
      expect([...joined.prerendered.pages.keys()].sort()).toEqual(['/p0', '/p1', '/p2']);
      expect(readFileSync(record, 'utf8')).toBe(
        'HEAD\n/p0\trecord-of-/p0\n/p1\trecord-of-/p1\n/p2\trecord-of-/p2\n',
      );
      expect(existsSync(R.shardPart(record, 1))).toBe(false);
    } finally {
      if (previous === undefined) delete process.env.RCM_PRERENDER_SHARD_COUNT;
      else process.env.RCM_PRERENDER_SHARD_COUNT = previous;
    }
  });

  /** The record parts shards would leave in folder `name`, one text each; the folder and its record's path. */
  function parts(name: string, texts: string[]): { deps: string; file: string } {
    const deps = path.join(dir, name);
    const file = path.join(deps, R.RECORD);
    mkdirSync(path.dirname(file), { recursive: true });
    for (const [index, text] of texts.entries()) writeFileSync(R.shardPart(file, index), text);
    return { deps, file };
  }

  it('adds up what the shards kept into one line', () => {
    const { deps, file } = parts('sum', ['H\n/a\tx\n', 'H\n']);
    const summary = R.joinShardRecords(deps, [
      {
        kept: 5,
        reasons: [['data changed', 2]],
        verify: true,
        counts: { bySlices: 7, run: 3, planned: 1, contradicted: 0 },
      },
      {
        kept: 4,
        reasons: [
          ['first of its route', 1],
          ['data changed', 3],
        ],
        verify: true,
        counts: { bySlices: 6, run: 2, planned: 0, contradicted: 1 },
      },
    ]);
    expect(R.summaryLine(summary)).toBe(
      '[reports] pages kept from the previous build: 9 (13 row queries kept by their slices, 5 run, 1 plans read, ' +
        '1 slice checks contradicted by a run); rendered: 5 data changed, 1 first of its route',
    );
    expect(readFileSync(file, 'utf8')).toBe('H\n/a\tx\n');
  });

  it('refuses parts recorded under different headers (another compile)', () => {
    const { deps } = parts('mixed', ['H1\n', 'H2\n']);
    const none = {
      kept: 0,
      reasons: [],
      verify: false,
      counts: { bySlices: 0, run: 0, planned: 0, contradicted: 0 },
    };
    expect(() => R.joinShardRecords(deps, [none, none])).toThrow(/shard 1 recorded under another header/);
  });
});

describe('shardCount', () => {
  it('takes the count asked, and refuses anything but a whole number from 1', () => {
    expect(S.shardCount({ RCM_PRERENDER_SHARD_COUNT: '1' })).toBe(1);
    expect(S.shardCount({ RCM_PRERENDER_SHARD_COUNT: '3' })).toBe(3);
    expect(() => S.shardCount({ RCM_PRERENDER_SHARD_COUNT: '0' })).toThrow(/whole number/);
    expect(() => S.shardCount({ RCM_PRERENDER_SHARD_COUNT: 'two' })).toThrow(/whole number/);
    const cores = S.shardCount({});
    expect(cores).toBeGreaterThanOrEqual(1);
    expect(cores).toBeLessThanOrEqual(4);
  });
});
