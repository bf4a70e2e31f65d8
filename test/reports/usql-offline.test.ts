// The patched Node paths of @evidence-dev/universal-sql on their own, without a site build:
// merging several Parquet batches (what `evidence sources` does) and loading the result into
// duckdb-wasm for prerendering (what `evidence build` does) — neither may need the parquet extension.
import { createHash } from 'node:crypto';
import {
  copyFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { reportsDir } from './helpers.ts';

const usqlSrc = join(reportsDir, 'node_modules/@evidence-dev/universal-sql/src');
const workDir = mkdtempSync(join(tmpdir(), 'rcm-usql-'));
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

const columns = [
  { name: 'practice_id', evidenceType: 'string' },
  { name: 'total_paid', evidenceType: 'number' },
  { name: 'paid_on', evidenceType: 'date' },
  { name: 'reconciled', evidenceType: 'boolean' },
];
const rows = Array.from({ length: 5 }, (_, i) => ({
  practice_id: `P${i}`,
  total_paid: i === 2 ? null : 1234.56 + i,
  paid_on: new Date(Date.UTC(2024, 0, i + 1)),
  reconciled: i % 2 === 0,
}));
const outFile = join(workDir, 'out/warehouse/remits/remits.parquet');

describe.skipIf(!existsSync(usqlSrc))('universal-sql offline paths', () => {
  it('merges several Parquet batches into one file without duckdb-wasm', async () => {
    const usql = await import(join(usqlSrc, 'index.js'));
    const n = await usql.buildMultipartParquet(
      columns,
      rows,
      join(workDir, 'tmp'),
      join(workDir, 'out'),
      'warehouse/remits/remits.parquet',
      2, // three batches
    );
    expect(n).toBe(5);
    expect(readdirSync(join(workDir, 'out/warehouse/remits'))).toEqual(['remits.parquet']);

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(
        `select practice_id, total_paid, paid_on::DATE::VARCHAR as paid_on, reconciled
         from read_parquet('${outFile}') order by practice_id`,
      );
      expect(reader.getRowObjectsJS()).toEqual(
        rows.map((r) => ({ ...r, paid_on: r.paid_on.toISOString().slice(0, 10) })),
      );
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
  });

  it('loads the file into the Node query engine as a table and queries it', async () => {
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    for (let i = 0; i < 2; i++) {
      // twice: reloading the manifest (dev server, rebuilds) must replace the table, not fail
      await client.setParquetURLs({ warehouse: [outFile] });
      const res = client.query(
        'select count(*) as n, sum(total_paid) as total from warehouse.remits where reconciled',
      ) as { n: number; total: number }[];
      expect(res[0]?.n).toBe(3);
      expect(res[0]?.total).toBeCloseTo(1234.56 * 2 + 4, 6);
    }
    const types = (
      client.query('select paid_on from warehouse.remits limit 1') as unknown as {
        _evidenceColumnTypes: { evidenceType: string }[];
      }
    )._evidenceColumnTypes;
    expect(types[0]?.evidenceType).toBe('date');
    expect(() => client.query("select * from read_parquet('x.parquet')")).toThrow(/parquet/);
  });

  it('loads a table only when a query names it', async () => {
    // A page fetches the tables its queries read, not every table of the site: a billing company's claim facts
    // must not be loaded by a page that never shows them.
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    const copyDir = join(workDir, 'out/warehouse/remits_copy');
    mkdirSync(copyDir, { recursive: true });
    copyFileSync(outFile, join(copyDir, 'remits_copy.parquet'));
    await client.setParquetURLs({ warehouse: [outFile, join(copyDir, 'remits_copy.parquet')] });
    const loaded = () =>
      (
        client.query(
          "select table_name from information_schema.tables where table_schema = 'warehouse' order by 1",
        ) as { table_name: string }[]
      ).map((t) => t.table_name);
    expect(loaded()).toEqual([]);
    expect((client.query('select count(*) as n from warehouse."remits_copy"') as { n: number }[])[0]?.n).toBe(
      5,
    );
    expect(loaded()).toEqual(['remits_copy']);
    expect(
      (client.query('select count(*) as n from warehouse.remits where reconciled') as { n: number }[])[0]?.n,
    ).toBe(3);
    expect(loaded()).toEqual(['remits', 'remits_copy']);
  });

  it("writes each prerendered result once, where the site serves it, and each page's query list", async () => {
    // The prerender's cache writes relative to the build's working directory (.evidence/template).
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [outFile] });
    const cached = (route_hash: string, query_name: string, sql: string) =>
      client.query(sql, { route_hash, additional_hash: 'params', query_name, prerendering: true }) as Record<
        string,
        number
      >[];
    const countSql = 'select count(*) as n from warehouse.remits where reconciled';
    const before = process.cwd();
    process.chdir(buildDir);
    try {
      expect(cached('page1', 'count', countSql).map((r) => r.n)).toEqual([3]);
      expect(
        cached('page1', 'paid', 'select sum(total_paid) as paid from warehouse.remits')[0]?.paid,
      ).toBeCloseTo(1234.56 * 4 + 8, 6);
      // The same SQL on another page is answered from the written result.
      expect(cached('page2', 'again', countSql).map((r) => r.n)).toEqual([3]);
    } finally {
      process.chdir(before);
    }
    const api = join(buildDir, '.svelte-kit/output/prerendered/dependencies/api');
    const results = readdirSync(join(api, 'prerendered_queries')).sort();
    expect(results).toHaveLength(2);
    const md5 = (file: string) =>
      createHash('md5')
        .update(readFileSync(join(api, 'prerendered_queries', file)))
        .digest('hex');
    // Each file is named by the hash of its bytes, and holds its query's rows.
    for (const file of results) expect(`${md5(file)}.arrow`).toBe(file);
    const byRows = new Map(
      results.map((file) => [
        JSON.stringify(
          tableFromIPC(readFileSync(join(api, 'prerendered_queries', file)))
            .toArray()
            .map((r) => Object.keys(r.toJSON())),
        ),
        file.replace('.arrow', ''),
      ]),
    );
    const countHash = byRows.get(JSON.stringify([['n']]));
    const paidHash = byRows.get(JSON.stringify([['paid']]));
    expect(JSON.parse(readFileSync(join(api, 'page1/params/all-queries.json'), 'utf8'))).toEqual({
      count: countHash,
      paid: paidHash,
    });
    expect(JSON.parse(readFileSync(join(api, 'page2/params/all-queries.json'), 'utf8'))).toEqual({
      again: countHash,
    });
    // No second copy in the dev server's cache folder.
    expect(existsSync(join(buildDir, '.evidence-queries'))).toBe(false);
  });

  it('answers a query from its written result whatever random aliases wrap it', async () => {
    // Each Evidence Query wraps its text as `SELECT * FROM (<text>) AS "inputQuery-<2 random characters>"`; the
    // prerender's cache keys it with the aliases renamed in order of first appearance. A row added after the first
    // run shows which queries ran again.
    // The directory of the test above: the cache remembers the folders it made, relative to the working directory.
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [outFile] });
    client.query('create or replace table warehouse.alias_probe as select 1 as x');
    const count = (page: string, query_name: string, sql: string) =>
      (
        client.query(sql, {
          route_hash: page,
          additional_hash: 'params',
          query_name,
          prerendering: true,
        }) as {
          n: number;
        }[]
      )[0]?.n;
    const wrapped = (inner: string, outer: string) =>
      `SELECT * FROM (SELECT * FROM (select count(*)::integer as n from warehouse.alias_probe) AS "inputQuery-${inner}") AS "inputQuery-${outer}"`;
    const before = process.cwd();
    process.chdir(buildDir);
    try {
      expect(count('p1', 'first', wrapped('ab', 'cd'))).toBe(1);
      client.query('insert into warehouse.alias_probe values (2)');
      // The same query under other aliases: the first run's result.
      expect(count('p2', 'renamed', wrapped('Zz', '_-'))).toBe(1);
      // One alias at both levels is not a renaming of the first query: it runs, and sees the second row.
      expect(count('p2', 'same_alias', wrapped('xy', 'xy'))).toBe(2);
      // Back to the first page once the second page's list was written: its list keeps both queries.
      expect(count('p1', 'later', 'select count(*)::integer as n from warehouse.alias_probe')).toBe(2);
    } finally {
      process.chdir(before);
    }
    const api = join(buildDir, '.svelte-kit/output/prerendered/dependencies/api');
    const p1 = JSON.parse(readFileSync(join(api, 'p1/params/all-queries.json'), 'utf8'));
    const p2 = JSON.parse(readFileSync(join(api, 'p2/params/all-queries.json'), 'utf8'));
    expect(Object.keys(p1)).toEqual(['first', 'later']);
    expect(Object.keys(p2)).toEqual(['renamed', 'same_alias']);
    expect(p2.renamed).toBe(p1.first);
    expect(p2.same_alias).toBe(p1.later);
    expect(p1.later).not.toBe(p1.first);
  });

  it("answers a query's row count from its rows, which then answer the rows asked next", async () => {
    // Evidence asks a query's row count before its rows; the prerender runs the rows once, at the count. Rows added
    // between the two asks show which one ran the query.
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [outFile] });
    client.query('create or replace table warehouse.count_probe as select range as x from range(5)');
    const ask = (query_name: string, sql: string) =>
      client.query(sql, {
        route_hash: 'counted',
        additional_hash: 'params',
        query_name,
        prerendering: true,
      }) as Record<string, number>[];
    const counted = (query_name: string, sql: string) => ask(query_name, sql).map((r) => r.rowCount);
    // The texts @evidence-dev/sdk's Query sends for its length and its data.
    const text = (alias: string) =>
      `SELECT * FROM (select x from warehouse.count_probe order by x) AS "inputQuery-${alias}"`;
    const length = (alias: string) =>
      `---- Length q1 (h1)\nSELECT COUNT(*) as rowCount FROM (${text(alias)})\n`;
    const data = (alias: string) => `---- Data q1 h1\n${text(alias)}\n`;
    const before = process.cwd();
    process.chdir(buildDir);
    try {
      expect(counted('length', length('ab'))).toEqual([5]);
      client.query('insert into warehouse.count_probe values (5), (6)');
      // The rows asked under another alias are the five the count ran, not the seven there are now.
      expect(ask('data', data('cd')).map((r) => r.x)).toEqual([0, 1, 2, 3, 4]);
      // Taken once: the same query asked again with other aliases is answered by the build's cache (five rows);
      // the same count on the seven rows now says seven, as DuckDB's own count does.
      expect(ask('data_again', data('ef'))).toHaveLength(5);
      const fresh = `select x from warehouse.count_probe where x >= 0`;
      expect(
        counted('length_fresh', `---- Length q2 (h2)\nSELECT COUNT(*) as rowCount FROM (${fresh})\n`),
      ).toEqual([7]);
      expect(counted('duckdb_count', `SELECT COUNT(*) as rowCount FROM (${fresh})`)).toEqual([7]);
      // Rows asked before their count (as a kept-page check asks them): the count is their number, not run again.
      client.query('create or replace table warehouse.rows_first as select range as x from range(3)');
      const first = 'select x from warehouse.rows_first';
      expect(ask('rows_first', `---- Data q4 h4\n${first}\n`)).toHaveLength(3);
      client.query('insert into warehouse.rows_first values (3)');
      expect(
        counted('rows_first_count', `---- Length q4 (h4)\nSELECT COUNT(*) as rowCount FROM (${first})\n`),
      ).toEqual([3]);
      // A count whose query fails fails with DuckDB's own message, as the count itself would.
      expect(() =>
        ask(
          'broken',
          '---- Length q3 (h3)\nSELECT COUNT(*) as rowCount FROM (select * from warehouse.nope)\n',
        ),
      ).toThrow(/nope/);
    } finally {
      process.chdir(before);
    }
    // The count made from the rows is the same result, byte for byte, as DuckDB's count (files are named by the
    // MD5 of their bytes).
    const api = join(buildDir, '.svelte-kit/output/prerendered/dependencies/api');
    const list = JSON.parse(readFileSync(join(api, 'counted/params/all-queries.json'), 'utf8'));
    expect(list.length_fresh).toBe(list.duckdb_count);
    expect(list.data_again).toBe(list.data);
  });

  it('writes the same rows as the same bytes however many batches duckdb-wasm returned them in', async () => {
    // A filtered scan returns a batch per chunk of the table it passed: rows 2040–2060 of a 3,000-row range come
    // back as two batches (before and after row 2048), the same rows read from a range of their own as one.
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    const select = `select i, 'v' || i as s, case when i % 3 = 0 then null else i end as n, i % 2 = 0 as b,
      case when i % 4 = 0 then null else 'w' || i end as t, cast('2024-01-01' as date) + cast(i as integer) as d`;
    const split = `${select} from range(3000) as r(i) where i between 2040 and 2060`;
    const whole = `${select} from range(2040, 2061) as r(i)`;
    expect(client.query(split).length).toBe(21);
    const before = process.cwd();
    process.chdir(buildDir);
    let hashes: string[] = [];
    try {
      hashes = [split, whole].map((sql) => client.prerenderResultHash(sql) as string);
    } finally {
      process.chdir(before);
    }
    expect(hashes[0]).toBe(hashes[1]);
    const file = join(
      buildDir,
      `.svelte-kit/output/prerendered/dependencies/api/prerendered_queries/${hashes[0]}.arrow`,
    );
    const table = tableFromIPC(readFileSync(file));
    expect(table.batches).toHaveLength(1);
    const rows = table.toArray().map((r) => r.toJSON());
    expect(rows.map((r) => r.i)).toEqual(Array.from({ length: 21 }, (_, k) => 2040 + k));
    // 2040 = 3 × 680 and 4 × 510: both columns null there, every third and fourth row after
    expect(rows.slice(0, 4).map((r) => [r.s, r.n, r.b, r.t])).toEqual([
      ['v2040', null, true, null],
      ['v2041', 2041, false, 'w2041'],
      ['v2042', 2042, true, 'w2042'],
      ['v2043', null, false, 'w2043'],
    ]);
    expect(rows[8]).toMatchObject({ i: 2048, s: 'v2048', n: 2048, b: true, t: null });
    expect(new Date(Number(rows[20]?.d)).toISOString().slice(0, 10)).toBe('2029-08-22');
  });

  it("gives the prerender's rows as plain objects that show what Arrow's rows show", async () => {
    // Outside the prerender a query's rows are apache-arrow's StructRows (stock arrowTableToJSON); while
    // prerendering they are plain objects read once per column. Whatever a page's component can read of a row
    // must be the same.
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [outFile] });
    const sql = `select practice_id, total_paid, paid_on, reconciled, total_paid as again,
        case when reconciled then paid_on end as reconciled_on
      from warehouse.remits order by practice_id`;
    type Row = Record<string, unknown> & { toJSON(): unknown };
    const stock = client.query(sql) as Row[];
    const before = process.cwd();
    process.chdir(buildDir);
    let plain: Row[];
    try {
      plain = client.query(sql, {
        route_hash: 'rows',
        additional_hash: 'params',
        query_name: 'rows',
        prerendering: true,
      }) as Row[];
    } finally {
      process.chdir(before);
    }
    expect(plain).toHaveLength(5);
    expect(Object.getPrototypeOf(plain[0])).not.toBe(Object.getPrototypeOf(stock[0]));
    const seen = (row: Row) =>
      Object.entries(row).map(([k, v]) => [k, v instanceof Date ? `date ${v.getTime()}` : v]);
    for (let i = 0; i < 5; i++) {
      const [p, s] = [plain[i] as Row, stock[i] as Row];
      expect(seen(p)).toEqual(seen(s));
      expect(Object.keys(p)).toEqual([
        'practice_id',
        'total_paid',
        'paid_on',
        'reconciled',
        'again',
        'reconciled_on',
      ]);
      expect(Object.prototype.toString.call(p)).toBe(Object.prototype.toString.call(s));
      expect(JSON.stringify(p)).toBe(JSON.stringify(s));
      expect([...(p as unknown as Iterable<unknown>)]).toEqual([...(s as unknown as Iterable<unknown>)]);
    }
    // By hand: the third row's payment is null, its date 2024-01-03, and dates are Date objects.
    expect(plain[2]?.total_paid).toBeNull();
    expect(((plain[2] as Row).paid_on as Date).toISOString()).toBe('2024-01-03T00:00:00.000Z');
    expect(plain[4]?.total_paid).toBeCloseTo(1238.56, 6);
    // A null date is the epoch, as arrowTableToJSON makes it (`new Date(null)`).
    expect(((plain[1] as Row).reconciled_on as Date).getTime()).toBe(0);
    expect((plain as unknown as { _evidenceColumnTypes: unknown })._evidenceColumnTypes).toEqual(
      (stock as unknown as { _evidenceColumnTypes: unknown })._evidenceColumnTypes,
    );

    // Text is decoded once per chunk when all of it is ASCII, value by value otherwise; an empty text is not a
    // null, nor -0 a 0.
    const both = (text: string) => {
      const asked = { route_hash: 'rows', additional_hash: text, query_name: 'text', prerendering: true };
      process.chdir(buildDir);
      try {
        return [client.query(text, asked), client.query(text)] as [Row[], Row[]];
      } finally {
        process.chdir(before);
      }
    };
    for (const [accented, expected] of [
      [true, ['Zoë', null, '', 'x']],
      [false, ['Zoe', null, '', 'x']],
    ] as const) {
      const text = `select s, f, s as s2 from (values ('${expected[0]}', 1.5::double, 1), (null, null, 2),
          ('', -0.0::double, 3), ('x', null, 4)) as t(s, f, k) order by k`;
      const [rows, stockRows] = both(text);
      expect(
        rows.map((r) => r.s),
        `accented ${accented}`,
      ).toEqual(expected);
      expect(rows.map((r) => Object.keys(r))).toEqual(stockRows.map((r) => Object.keys(r)));
      expect(rows.map((r) => Object.entries(r))).toEqual(stockRows.map((r) => Object.entries(r)));
      expect(Object.is(rows[2]?.f, -0)).toBe(true);
      expect(rows.map((r) => JSON.stringify(r))).toEqual(stockRows.map((r) => JSON.stringify(r)));
    }
  });

  it('writes an empty typed Parquet file for a query without rows and loads it as an empty table', async () => {
    // Stock Evidence writes no Parquet file for an empty result yet lists it, so browsers asked for it and got
    // a 404. The patch writes one with no record batch; the clients type the empty table from the schema file
    // Evidence writes beside it.
    const usql = await import(join(usqlSrc, 'index.js'));
    const n = await usql.buildMultipartParquet(
      columns,
      [],
      join(workDir, 'tmp-empty'),
      join(workDir, 'out'),
      'warehouse/empty/empty.parquet',
    );
    expect(n).toBe(0);
    const emptyFile = join(workDir, 'out/warehouse/empty/empty.parquet');
    expect(existsSync(emptyFile)).toBe(true);
    writeFileSync(join(workDir, 'out/warehouse/empty/empty.schema.json'), JSON.stringify(columns));

    // The file is a valid Parquet file with the columns' types and no rows.
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const reader = await conn.runAndReadAll(`describe select * from read_parquet('${emptyFile}')`);
      expect(reader.getRowObjectsJS().map((c) => [c.column_name, c.column_type])).toEqual([
        ['practice_id', 'VARCHAR'],
        ['total_paid', 'DOUBLE'],
        ['paid_on', 'TIMESTAMP'],
        ['reconciled', 'BOOLEAN'],
      ]);
      expect(
        (
          await conn.runAndReadAll(`select count(*)::integer as n from read_parquet('${emptyFile}')`)
        ).getRowObjectsJS()[0]?.n,
      ).toBe(0);
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }

    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [outFile, emptyFile] });
    expect((client.query('select count(*) as n from warehouse.empty') as { n: number }[])[0]?.n).toBe(0);
    const described = client.query('describe warehouse.empty') as {
      column_name: string;
      column_type: string;
    }[];
    expect(described.map((c) => [c.column_name, c.column_type])).toEqual([
      ['practice_id', 'VARCHAR'],
      ['total_paid', 'DOUBLE'],
      ['paid_on', 'TIMESTAMP'],
      ['reconciled', 'BOOLEAN'],
    ]);
    // The non-empty file beside it still loads.
    expect((client.query('select count(*) as n from warehouse.remits') as { n: number }[])[0]?.n).toBe(5);

    // A built site keeps each file under a content-hash folder, the schema one level up.
    const hashedDir = join(workDir, 'out/warehouse/hashed/0123456789abcdef0123456789abcdef');
    mkdirSync(hashedDir, { recursive: true });
    copyFileSync(emptyFile, join(hashedDir, 'hashed.parquet'));
    writeFileSync(join(workDir, 'out/warehouse/hashed/hashed.schema.json'), JSON.stringify(columns));
    await client.setParquetURLs({ warehouse: [join(hashedDir, 'hashed.parquet')] });
    expect((client.query('select count(*) as n from warehouse.hashed') as { n: number }[])[0]?.n).toBe(0);
  });

  it('still types an empty table from its schema file when a site holds no Parquet file for it', async () => {
    // A site whose data was written before the patch wrote empty files.
    mkdirSync(join(workDir, 'out/warehouse/older'), { recursive: true });
    writeFileSync(join(workDir, 'out/warehouse/older/older.schema.json'), JSON.stringify(columns));
    const client = await import(join(usqlSrc, 'client-duckdb/node.js'));
    await client.initDB();
    await client.setParquetURLs({ warehouse: [join(workDir, 'out/warehouse/older/older.parquet')] });
    expect((client.query('select count(*) as n from warehouse.older') as { n: number }[])[0]?.n).toBe(0);
  });
});
