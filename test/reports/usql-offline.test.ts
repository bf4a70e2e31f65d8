// The patched Node paths of @evidence-dev/universal-sql on their own, without a site build:
// merging several Parquet batches (what `evidence sources` does) and loading the result into
// duckdb-wasm for prerendering (what `evidence build` does) — neither may need the parquet extension.
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
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
});
