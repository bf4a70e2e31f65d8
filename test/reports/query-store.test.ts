// Evidence's query store (@evidence-dev/sdk's Query) as reports/patches/@evidence-dev+sdk+4.0.2.patch leaves it: what
// a page's queries leave behind once rendered, since a prerender of thousands of pages keeps whatever each page leaves
// (reports/README.md).
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { repoRoot } from '../../etl/config.ts';

type Row = Record<string, unknown>;
type Runner = (sql: string) => Promise<Row[]>;
type QueryValue = { ready: boolean; length: number; score: number };
type QueryClass = {
  create(
    sql: string,
    execFn: Runner,
    opts?: Record<string, unknown>,
  ): QueryValue & { fetch(): Promise<unknown> };
  createReactive(opts: { execFn: Runner; callback?: (value: QueryValue) => void }): (sql: string) => void;
  emptyCache(): void;
  readonly cacheSize: number;
  readonly CacheMaxScore: number;
};

let Query: QueryClass;
beforeAll(async () => {
  // the store logs every step under NODE_ENV=test unless told not to (src/lib/debug.js)
  process.env.EVIDENCE_DISABLE_TEST_DEBUG = '1';
  const file = path.join(repoRoot, 'reports/node_modules/@evidence-dev/sdk/src/usql/query/Query.js');
  ({ Query } = (await import(pathToFileURL(file).href)) as { Query: QueryClass });
});

afterEach(() => {
  vi.useRealTimers();
  Query.emptyCache();
});

/** An engine answering as duckdb-wasm does, asynchronously: `rows` rows of one text column. */
function engine(rows: number): Runner {
  return async (sql) => {
    if (sql.startsWith('---- Length')) return [{ rowCount: rows }];
    if (sql.startsWith('---- Columns')) return [{ column_name: 'claim_id', column_type: 'VARCHAR' }];
    return Array.from({ length: rows }, (_, i) => ({ claim_id: `C${i}` }));
  };
}

/** Lets every settled promise's reactions run (real immediates: only setTimeout is faked below). */
const settle = async () => {
  for (let i = 0; i < 5; i++) await new Promise((resolve) => setImmediate(resolve));
};

describe("Evidence's query store (patched)", () => {
  it('clears a reactive query’s grace timer once its data has arrived', async () => {
    // Stock Evidence raced each reactive update against a 250 ms timer and left the timer pending; during the
    // prerender those timers were not run, so they (and the queries their promises held) piled up page after page.
    vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
    const values: QueryValue[] = [];
    const update = Query.createReactive({ execFn: engine(3), callback: (value) => values.push(value) });
    update('select claim_id from claims');
    await settle();
    expect(values.at(-1)?.ready).toBe(true);
    update('select claim_id from claims where claim_id is not null');
    await settle();
    expect(values.at(-1)?.length).toBe(3);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('scores a query when its size arrives, so the cache evicts past its limit', async () => {
    // stock behaviour, kept as a guard: the store's own cache is bounded, so it is not where pages' rows pile up
    // 2,000 rows of one text column score 2,000 × (4 + 30) = 68,000 (queryScore.js), past the 51,200 limit alone
    expect(Query.CacheMaxScore).toBe(51_200);
    for (const n of [1, 2, 3]) {
      const query = Query.create(`select claim_id from claims limit ${n}000`, engine(2_000));
      await query.fetch();
      await settle();
      expect(query.score).toBe(68_000);
    }
    // the next query's creation runs the clean-up: the three large ones go
    Query.create('select 1 as one', engine(1));
    expect(Query.cacheSize).toBe(1);
  });
});
