// reports/tools/source-slices.mjs: the digest of each source table's rows per practice and month, and the slices a
// query's plan reads, by which a daily report build keeps a query's result without running it
// (reports/tools/page-reuse.mjs). The plans are DuckDB's own (`EXPLAIN (FORMAT JSON)`, the version the warehouse
// pins, of the same 1.4 line as the prerender's duckdb-wasm); the slices each case must read are written by hand.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';

type Column = { name: string; stored: string };
type Entry = {
  columns: string;
  practice: string | null;
  month: string | null;
  slices: [string | null, string | null, string][];
};
type Indexed = Map<string, unknown>;
type Binding = [string, string, string[], [string, string][]][];
type Slices = {
  SLICES_FORMAT: number;
  digestTable(connection: DuckDBConnection, parquet: string, columns: Column[]): Promise<Entry>;
  indexSlices(file: unknown): Indexed;
  bindingOfPlan(plan: string, tables: Indexed): Binding | null;
  unchangedSlices(binding: Binding, before: Indexed, now: Indexed): boolean;
};

let S: Slices;
let db: DuckDBInstance;
let conn: DuckDBConnection;
const dir = mkdtempSync(path.join(tmpdir(), 'rcm-source-slices-'));

// kpi: sliced by practice and month; vendors: by practice only; codes: neither (no practice column).
const KPI: Column[] = [
  { name: 'practice_id', stored: 'VARCHAR' },
  { name: 'month_key', stored: 'VARCHAR' },
  { name: 'paid', stored: 'DOUBLE' },
];
const VENDORS: Column[] = [
  { name: 'practice_id', stored: 'VARCHAR' },
  { name: 'vendor', stored: 'VARCHAR' },
];
const CODES: Column[] = [{ name: 'code', stored: 'VARCHAR' }];
const KPI_ROWS = `('P1', '2025-05', 10.0), ('P1', '2025-06', 20.0), ('P1', '2025-06', 5.0), ('P2', '2025-06', 7.0),
  ('P1', '2025-07', 1.0), (null, '2025-06', 3.0)`;

/** A build's slices file of the three tables, each written to Parquet from `rows` (a VALUES list per table). */
async function build(
  name: string,
  rows: { kpi: string; vendors?: string; codes?: string; kpiColumns?: Column[] },
) {
  const tables: Record<string, Entry> = {};
  const write = async (table: string, columns: Column[], values: string) => {
    const file = path.join(dir, `${name}-${table}.parquet`);
    const names = columns.map((c) => c.name).join(', ');
    const types = columns.map((c) => `cast(${c.name} as ${c.stored}) as ${c.name}`).join(', ');
    await conn.run(
      `copy (select ${types} from (values ${values}) as t(${names})) to '${file}' (format parquet)`,
    );
    tables[table] = await S.digestTable(conn, file, columns);
  };
  await write('kpi', rows.kpiColumns ?? KPI, rows.kpi);
  await write('vendors', VENDORS, rows.vendors ?? `('P1', 'A'), ('P2', 'B')`);
  await write('codes', CODES, rows.codes ?? `('99213'), ('99214')`);
  return S.indexSlices({ format: S.SLICES_FORMAT, tables });
}

/** DuckDB's plan of `sql` over tables of the same names and columns. */
async function plan(sql: string): Promise<string> {
  const reader = await conn.runAndReadAll(`EXPLAIN (FORMAT JSON) ${sql}`);
  return String(reader.getRows()[0]?.[1]);
}

beforeAll(async () => {
  const file = path.join(repoRoot, 'reports/tools/source-slices.mjs');
  S = (await import(pathToFileURL(file).href)) as Slices;
  db = await DuckDBInstance.create(':memory:');
  conn = await db.connect();
  // Rows for the plans: DuckDB folds a scan whose filter its statistics rule out into an empty result.
  await conn.run(`
    create table kpi (practice_id varchar, month_key varchar, paid double);
    insert into kpi values ${KPI_ROWS}, ('P2', '2025-01', 1.0);
    create table vendors (practice_id varchar, vendor varchar);
    insert into vendors values ('P1', 'A'), ('P2', 'B');
    create table codes (code varchar);
    insert into codes values ('99213');`);
});
afterAll(() => {
  conn.disconnectSync();
  db.closeSync();
  rmSync(dir, { recursive: true, force: true });
});

describe('digestTable', () => {
  it('digests each practice and month apart, as row counts and a hash of the rows whatever their order', async () => {
    const a = await build('order-a', { kpi: KPI_ROWS });
    const entry = (a.get('kpi') as { byPractice: Map<string | null, Map<string | null, string>> }).byPractice;
    expect([...entry.keys()]).toEqual([null, 'P1', 'P2']);
    expect([...(entry.get('P1')?.keys() ?? [])]).toEqual(['2025-05', '2025-06', '2025-07']);
    // two rows in P1's June, one elsewhere
    expect(entry.get('P1')?.get('2025-06')).toMatch(/^2:\d+$/);
    expect(entry.get('P1')?.get('2025-05')).toMatch(/^1:\d+$/);
    const reversed = `('P1', '2025-07', 1.0), (null, '2025-06', 3.0), ('P2', '2025-06', 7.0), ('P1', '2025-06', 5.0),
      ('P1', '2025-06', 20.0), ('P1', '2025-05', 10.0)`;
    const b = await build('order-b', { kpi: reversed });
    expect(b).toEqual(a);
  });

  it('tells -0.0 from 0.0, which DuckDB hashes alike and a page prints differently', async () => {
    const plus = await build('zero-plus', { kpi: `('P1', '2025-06', 0.0)` });
    const minus = await build('zero-minus', { kpi: `('P1', '2025-06', '-0.0'::double)` });
    const binding: Binding = [
      ['kpi', (plus.get('kpi') as { columns: string }).columns, ['P1'], [['=', '2025-06']]],
    ];
    expect(S.unchangedSlices(binding, plus, plus)).toBe(true);
    expect(S.unchangedSlices(binding, plus, minus)).toBe(false);
  });

  it('slices only by text columns: a table without practice or month has one slice', async () => {
    const a = await build('plain', { kpi: KPI_ROWS });
    const codes = a.get('codes') as {
      practice: string | null;
      month: string | null;
      byPractice: Map<unknown, Map<unknown, string>>;
    };
    expect([codes.practice, codes.month]).toEqual([null, null]);
    expect([...codes.byPractice.keys()]).toEqual([null]);
    const vendors = a.get('vendors') as { practice: string | null; month: string | null };
    expect([vendors.practice, vendors.month]).toEqual(['practice_id', null]);
    // a numeric month column is not sliced by: its comparisons are not read from plans either
    const numeric = await build('numeric', {
      kpi: `('P1', 202506, 1.0)`,
      kpiColumns: [KPI[0] as Column, { name: 'month_key', stored: 'DOUBLE' }, KPI[2] as Column],
    });
    expect((numeric.get('kpi') as { month: string | null }).month).toBeNull();
  });
});

describe('bindingOfPlan', () => {
  let tables: Indexed;
  let columns: string;
  beforeAll(async () => {
    tables = await build('bind', { kpi: KPI_ROWS });
    columns = (tables.get('kpi') as { columns: string }).columns;
  });

  it('binds a scan to the practice and month its filters name', async () => {
    const p = await plan(`select * from kpi where practice_id = 'P1' and month_key = '2025-06'`);
    expect(S.bindingOfPlan(p, tables)).toEqual([['kpi', columns, ['P1'], [['=', '2025-06']]]]);
  });

  it('binds each scan of a self-join, the prior month named by a constant folded into its scan', async () => {
    const p = await plan(`
      select k.paid - p.paid from kpi as k
      left join kpi as p on p.practice_id = k.practice_id and p.month_key = strftime(cast('2025-06-01' as date) - interval 1 month, '%Y-%m')
      where k.practice_id = 'P1' and k.month_key = '2025-06'`);
    const binding = S.bindingOfPlan(p, tables);
    expect(binding).toHaveLength(2);
    expect(binding).toContainEqual(['kpi', columns, ['P1'], [['=', '2025-06']]]);
    expect(binding).toContainEqual(['kpi', columns, ['P1'], [['=', '2025-05']]]);
  });

  it('reads a range of months, in both of the forms DuckDB prints', async () => {
    const range = await plan(
      `select * from kpi where practice_id = 'P1' and month_key <= '2025-06' and month_key >= '2025-01'`,
    );
    expect(S.bindingOfPlan(range, tables)).toEqual([
      [
        'kpi',
        columns,
        ['P1'],
        [
          ['>=', '2025-01'],
          ['<=', '2025-06'],
        ],
      ],
    ]);
    const between = await plan(
      `select * from kpi where practice_id = 'P1' and (month_key between '2025-01' and '2025-06' or false)`,
    );
    const b = S.bindingOfPlan(between, tables);
    expect(b?.[0]?.[2]).toEqual(['P1']);
    expect(b?.[0]?.[3]).toEqual(
      expect.arrayContaining([
        ['>=', '2025-01'],
        ['<=', '2025-06'],
      ]),
    );
  });

  it('leaves out a filter it cannot read, which widens the scan: an OR, an IN list, another column', async () => {
    const or = await plan(`select * from kpi where practice_id = 'P1' or practice_id = 'P2'`);
    expect(S.bindingOfPlan(or, tables)).toEqual([['kpi', columns, [], []]]);
    const other = await plan(`select * from kpi where paid > 5 and month_key = '2025-06'`);
    expect(S.bindingOfPlan(other, tables)).toEqual([['kpi', columns, [], [['=', '2025-06']]]]);
    const whole = await plan(`select count(*) from codes`);
    expect(S.bindingOfPlan(whole, tables)).toEqual([
      ['codes', (tables.get('codes') as { columns: string }).columns, [], []],
    ]);
  });

  it('binds nothing when the plan reads what has no digests', async () => {
    expect(S.bindingOfPlan(await plan('select * from range(3)'), tables)).toBeNull();
    await conn.run('create table undigested (practice_id varchar)');
    expect(
      S.bindingOfPlan(await plan(`select * from undigested where practice_id = 'P1'`), tables),
    ).toBeNull();
    // an empty result folded by the optimizer reads no table, but would not stay empty on other data
    expect(S.bindingOfPlan(await plan(`select * from kpi where 1 = 0`), tables)).toBeNull();
    expect(S.bindingOfPlan('not json', tables)).toBeNull();
  });

  it('binds a query over no table and over a CTE read twice', async () => {
    expect(S.bindingOfPlan(await plan('select 1 as one'), tables)).toEqual([]);
    const cte = await plan(`
      with m as materialized (select * from kpi where practice_id = 'P2')
      select * from m as a join m as b using (month_key)`);
    expect(S.bindingOfPlan(cte, tables)).toEqual([['kpi', columns, ['P2'], []]]);
  });
});

describe('unchangedSlices', () => {
  it('sees a change in a slice read, and only there', async () => {
    const before = await build('day1', { kpi: KPI_ROWS });
    const columns = (before.get('kpi') as { columns: string }).columns;
    const june: Binding = [['kpi', columns, ['P1'], [['=', '2025-06']]]];
    const p1: Binding = [['kpi', columns, ['P1'], []]];
    const upToJune: Binding = [['kpi', columns, ['P1'], [['<=', '2025-06']]]];
    // P2's June changed and P1 got an August
    const other = await build('day2', {
      kpi: `${KPI_ROWS.replace("('P2', '2025-06', 7.0)", "('P2', '2025-06', 8.0)")}, ('P1', '2025-08', 2.0)`,
    });
    expect(S.unchangedSlices(june, before, other)).toBe(true);
    expect(S.unchangedSlices(upToJune, before, other)).toBe(true);
    expect(S.unchangedSlices(p1, before, other)).toBe(false);
    // a row of P1's June changed
    const changed = await build('day3', {
      kpi: KPI_ROWS.replace("('P1', '2025-06', 5.0)", "('P1', '2025-06', 5.01)"),
    });
    expect(S.unchangedSlices(june, before, changed)).toBe(false);
    expect(S.unchangedSlices(upToJune, before, changed)).toBe(false);
    // a month appearing inside a range read (P1's April, absent before)
    const april = await build('day4', { kpi: `${KPI_ROWS}, ('P1', '2025-04', 1.0)` });
    expect(S.unchangedSlices(june, before, april)).toBe(true);
    expect(S.unchangedSlices(upToJune, before, april)).toBe(false);
  });

  it('reads no binding made for other columns, and no table that is gone', async () => {
    const before = await build('cols1', { kpi: KPI_ROWS });
    const columns = (before.get('kpi') as { columns: string }).columns;
    const june: Binding = [['kpi', columns, ['P1'], [['=', '2025-06']]]];
    const wider = await build('cols2', {
      kpi: KPI_ROWS,
      kpiColumns: [...KPI.slice(0, 2), { name: 'paid', stored: 'VARCHAR' }],
    });
    expect(S.unchangedSlices(june, wider, wider)).toBe(false);
    expect(S.unchangedSlices(june, before, new Map())).toBe(false);
    expect(S.unchangedSlices([['gone', columns, [], []]], before, before)).toBe(false);
  });
});
