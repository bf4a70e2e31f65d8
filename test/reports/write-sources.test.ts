// reports/tools/write-sources.mjs writes the site's source data with DuckDB's Parquet writer in the layout and
// types Evidence's own `evidence sources` leaves (numbers as DOUBLE, dates as millisecond timestamps), so the
// build and both query clients read it unchanged. Expected values are written out by hand below.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { reportsDir } from './helpers.ts';

const writer = join(reportsDir, 'tools/write-sources.mjs');
const workDir = mkdtempSync(join(tmpdir(), 'rcm-write-sources-'));
const warehouse = join(workDir, 'wh.duckdb');
const sourceDir = join(workDir, 'sources/warehouse');
const dataDir = join(workDir, 'data');
afterAll(() => rmSync(workDir, { recursive: true, force: true }));

function write(): { status: number | null; output: string } {
  const r = spawnSync(process.execPath, [writer, warehouse, sourceDir, dataDir], { encoding: 'utf8' });
  return { status: r.status, output: `${r.stdout}\n${r.stderr}` };
}

describe.skipIf(!existsSync(join(reportsDir, 'node_modules/@duckdb/node-api')))('write-sources', () => {
  beforeAll(async () => {
    const db = await DuckDBInstance.create(warehouse);
    const conn = await db.connect();
    await conn.run(`
      create schema marts;
      create table marts.remits (
        practice_id varchar, paid decimal(18, 2), lines bigint, paid_on date,
        loaded_at timestamptz, posted_at timestamp, reconciled boolean
      );
      insert into marts.remits values
        ('P1', 1234.56, 3, '2024-01-31', '2024-02-01 10:00:00.0009+00', '2024-02-01 10:00:00.4999', true),
        ('P2', -0.01, null, null, null, null, false);`);
    conn.disconnectSync();
    db.closeSync();
    mkdirSync(sourceDir, { recursive: true });
    writeFileSync(join(sourceDir, 'initialize.sql'), 'SET autoinstall_known_extensions = false;\n');
    writeFileSync(join(sourceDir, 'remits.sql'), '-- every remittance\nselect * from marts.remits;\n');
    writeFileSync(
      join(sourceDir, 'none.sql'),
      "select practice_id, paid from marts.remits where practice_id = 'X'\n",
    );
    writeFileSync(
      join(sourceDir, 'sorted.sql'),
      "select * from (values ('P2', '2024-02', 2), ('P1', '2024-03', 1), ('P1', '2024-01', 3)) as t(practice_id, month_key, n)\n",
    );
  });

  it('writes each query as Parquet with Evidence’s types, its schema file and the manifest', async () => {
    const { status, output } = write();
    expect(status, output).toBe(0);
    expect(JSON.parse(readFileSync(join(dataDir, 'manifest.json'), 'utf8'))).toEqual({
      renderedFiles: {
        warehouse: [
          'static/data/warehouse/none/none.parquet',
          'static/data/warehouse/remits/remits.parquet',
          'static/data/warehouse/sorted/sorted.parquet',
        ],
      },
    });
    expect(JSON.parse(readFileSync(join(dataDir, 'warehouse/remits/remits.schema.json'), 'utf8'))).toEqual(
      [
        ['practice_id', 'string'],
        ['paid', 'number'],
        ['lines', 'number'],
        ['paid_on', 'date'],
        ['loaded_at', 'date'],
        ['posted_at', 'date'],
        ['reconciled', 'boolean'],
      ].map(([name, evidenceType]) => ({ name, evidenceType, typeFidelity: 'precise' })),
    );

    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    try {
      const file = join(dataDir, 'warehouse/remits/remits.parquet');
      const types = (await conn.runAndReadAll(`describe select * from read_parquet('${file}')`))
        .getRowObjectsJS()
        .map((c) => [c.column_name, c.column_type]);
      expect(types).toEqual([
        ['practice_id', 'VARCHAR'],
        ['paid', 'DOUBLE'],
        ['lines', 'DOUBLE'],
        ['paid_on', 'TIMESTAMP'],
        ['loaded_at', 'TIMESTAMP'],
        ['posted_at', 'TIMESTAMP'],
        ['reconciled', 'BOOLEAN'],
      ]);
      // stored in milliseconds, as Evidence's writer stores dates
      const units = (
        await conn.runAndReadAll(
          `select name, converted_type from parquet_schema('${file}') where name in ('paid_on', 'loaded_at', 'posted_at') order by name`,
        )
      ).getRowObjectsJS();
      expect(units).toEqual([
        { name: 'loaded_at', converted_type: 'TIMESTAMP_MILLIS' },
        { name: 'paid_on', converted_type: 'TIMESTAMP_MILLIS' },
        { name: 'posted_at', converted_type: 'TIMESTAMP_MILLIS' },
      ]);
      const rows = (
        await conn.runAndReadAll(
          `select practice_id, paid, lines, epoch_ms(paid_on) as paid_on, epoch_ms(loaded_at) as loaded_at,
             epoch_ms(posted_at) as posted_at, reconciled
           from read_parquet('${file}') order by practice_id`,
        )
      ).getRowObjectsJS();
      expect(rows).toEqual([
        // 2024-01-31 = 19,753 days after 1970-01-01; 2024-02-01 10:00 UTC = 19,754 days + 10 h. Sub-millisecond
        // digits are cut, not rounded, as a JavaScript date cuts them in Evidence's own pipeline.
        {
          practice_id: 'P1',
          paid: 1234.56,
          lines: 3,
          paid_on: 19753n * 86_400_000n,
          loaded_at: 19754n * 86_400_000n + 36_000_000n,
          posted_at: 19754n * 86_400_000n + 36_000_000n + 499n,
          reconciled: true,
        },
        {
          practice_id: 'P2',
          paid: -0.01,
          lines: null,
          paid_on: null,
          loaded_at: null,
          posted_at: null,
          reconciled: false,
        },
      ]);
      // stored in practice, then month order, so duckdb-wasm can skip other practices' row groups
      const sorted = join(dataDir, 'warehouse/sorted/sorted.parquet');
      expect(
        (
          await conn.runAndReadAll(`select practice_id, month_key, n from read_parquet('${sorted}')`)
        ).getRowObjectsJS(),
      ).toEqual([
        { practice_id: 'P1', month_key: '2024-01', n: 3 },
        { practice_id: 'P1', month_key: '2024-03', n: 1 },
        { practice_id: 'P2', month_key: '2024-02', n: 2 },
      ]);
      const none = join(dataDir, 'warehouse/none/none.parquet');
      expect(
        (
          await conn.runAndReadAll(`select count(*)::integer as n from read_parquet('${none}')`)
        ).getRowObjectsJS(),
      ).toEqual([{ n: 0 }]);
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }
  });

  it('digests each table per practice and month when given a slices file', () => {
    const slicesFile = join(workDir, 'slices.json');
    const r = spawnSync(process.execPath, [writer, warehouse, sourceDir, dataDir, slicesFile], {
      encoding: 'utf8',
    });
    expect(r.status, r.stderr).toBe(0);
    const { format, tables } = JSON.parse(readFileSync(slicesFile, 'utf8'));
    expect(format).toBe(1);
    expect(Object.keys(tables).sort()).toEqual(['none', 'remits', 'sorted']);
    // sorted: a slice per practice and month, each of one row (the digest is "<rows>:<sum of the rows' hashes>")
    expect(tables.sorted.practice).toBe('practice_id');
    expect(tables.sorted.month).toBe('month_key');
    expect(tables.sorted.slices.map(([p, m, d]: string[]) => [p, m, d?.split(':')[0]])).toEqual([
      ['P1', '2024-01', '1'],
      ['P1', '2024-03', '1'],
      ['P2', '2024-02', '1'],
    ]);
    // remits has no month column: a slice per practice; none has no rows, so no slice
    expect(tables.remits.month).toBeNull();
    expect(tables.remits.slices.map(([p, m]: string[]) => [p, m])).toEqual([
      ['P1', null],
      ['P2', null],
    ]);
    expect(tables.none.slices).toEqual([]);
  });

  it('writes the tables the prerender reads into one DuckDB file, which it reads as it reads the Parquet', async () => {
    writeFileSync(
      join(sourceDir, 'facts.sql'),
      '-- browser only: asked for by the reader\nselect practice_id from marts.remits\n',
    );
    const tableFile = join(workDir, 'source-tables.duckdb');
    writeFileSync(tableFile, 'a stale file the build must not keep');
    const r = spawnSync(
      process.execPath,
      [writer, warehouse, sourceDir, dataDir, join(workDir, 's.json'), tableFile],
      {
        encoding: 'utf8',
      },
    );
    rmSync(join(sourceDir, 'facts.sql'));
    expect(r.status, r.stderr).toBe(0);
    expect(existsSync(`${tableFile}.tmp`)).toBe(false);
    expect(existsSync(`${tableFile}.tmp.wal`)).toBe(false);
    const parquet = (name: string) => join(dataDir, `warehouse/${name}/${name}.parquet`);

    const db = await DuckDBInstance.create(tableFile, { access_mode: 'READ_ONLY' });
    const conn = await db.connect();
    try {
      // none has no rows (its empty table comes from its schema file, as before); facts is read in the browser only
      expect(
        (
          await conn.runAndReadAll(
            'select source, name, parquet_bytes, row_count from rcm_source_files order by name',
          )
        ).getRowObjectsJS(),
      ).toEqual([
        {
          source: 'warehouse',
          name: 'remits',
          parquet_bytes: BigInt(statSync(parquet('remits')).size),
          row_count: 2n,
        },
        {
          source: 'warehouse',
          name: 'sorted',
          parquet_bytes: BigInt(statSync(parquet('sorted')).size),
          row_count: 3n,
        },
      ]);
      // The types duckdb-wasm gives the Parquet file's columns: its timestamps in milliseconds.
      expect(
        (await conn.runAndReadAll('describe warehouse.remits')).getRowObjectsJS().map((c) => c.column_type),
      ).toEqual(['VARCHAR', 'DOUBLE', 'DOUBLE', 'TIMESTAMP_MS', 'TIMESTAMP_MS', 'TIMESTAMP_MS', 'BOOLEAN']);
    } finally {
      conn.disconnectSync();
      db.closeSync();
    }

    // The prerender's client, once loading the Parquet files and once on the table file: the same result bytes
    // (each result is hashed as the build names its file) and the same plans.
    const client = await import(
      join(reportsDir, 'node_modules/@evidence-dev/universal-sql/src/client-duckdb/node.js')
    );
    await client.initDB();
    const buildDir = join(workDir, 'prerender');
    mkdirSync(buildDir, { recursive: true });
    const queries = [
      'select * from warehouse.remits order by practice_id',
      'select sum(paid) as paid, min(paid_on) as first_paid, count(*) filter (where reconciled) as n from warehouse.remits',
      "select month_key, n from warehouse.sorted where practice_id = 'P1'",
      'select * from warehouse.none',
    ];
    const urls = { warehouse: ['remits', 'sorted', 'none'].map(parquet) };
    const tableTypes = () =>
      (
        client.query(
          "select table_name, table_type from information_schema.tables where table_schema = 'warehouse' and table_catalog = current_database() order by 1",
        ) as { table_name: string; table_type: string }[]
      ).map((t) => `${t.table_name} ${t.table_type}`);
    const run = (label: string) =>
      queries.map((sql) => [
        client.prerenderResultHash(`${sql} -- ${label}`),
        client.prerenderQueryPlan(sql),
      ]);
    const before = process.cwd();
    process.chdir(buildDir);
    try {
      delete process.env.RCM_PRERENDER_SOURCE_TABLES;
      await client.setParquetURLs(urls);
      const fromParquet = run('parquet');
      expect(tableTypes()).toEqual(['none BASE TABLE', 'remits BASE TABLE', 'sorted BASE TABLE']);

      process.env.RCM_PRERENDER_SOURCE_TABLES = tableFile;
      await client.setParquetURLs(urls);
      const fromTableFile = run('table file');
      expect(tableTypes()).toEqual(['none BASE TABLE', 'remits VIEW', 'sorted VIEW']);
      expect(fromTableFile).toEqual(fromParquet);
      expect(fromTableFile[2]?.[1]).toMatch(/"Table": "sorted"[\s\S]*practice_id='P1'/);
      // A filter no row matches is planned as a scan of its table with that filter, not as an empty result the
      // column statistics fold it into (which names no table), and the planner's setting is put back.
      const noRows = client.prerenderQueryPlan(
        "select month_key from warehouse.sorted where practice_id = 'P9'",
      );
      expect(noRows).toMatch(/"Table": "sorted"[\s\S]*practice_id='P9'/);
      expect(noRows).not.toMatch(/EMPTY_RESULT/);
      const [setting] = client.query("select current_setting('disabled_optimizers') as v") as { v: string }[];
      expect(setting?.v).toBe('');

      // A Parquet file other than the one a table was read from (another size) is loaded from the file.
      const other = join(workDir, 'other/warehouse/sorted/sorted.parquet');
      mkdirSync(join(workDir, 'other/warehouse/sorted'), { recursive: true });
      const native = await DuckDBInstance.create(':memory:');
      const nc = await native.connect();
      await nc.run(
        `copy (select * from read_parquet('${parquet('sorted')}') limit 1) to '${other}' (format parquet)`,
      );
      nc.disconnectSync();
      native.closeSync();
      await client.setParquetURLs({ warehouse: [parquet('remits'), other] });
      expect((client.query('select count(*) as n from warehouse.sorted') as { n: number }[])[0]?.n).toBe(1);
      expect(tableTypes()).toEqual(['none BASE TABLE', 'remits VIEW', 'sorted BASE TABLE']);
    } finally {
      process.chdir(before);
      delete process.env.RCM_PRERENDER_SOURCE_TABLES;
    }
  });

  it('names the query that failed and writes no manifest', () => {
    rmSync(dataDir, { recursive: true, force: true });
    writeFileSync(join(sourceDir, 'broken.sql'), 'select no_such_column from marts.remits\n');
    // The table file of an earlier build is removed, and none is left for the failed one.
    const tableFile = join(workDir, 'source-tables.duckdb');
    expect(existsSync(tableFile)).toBe(true);
    const r = spawnSync(
      process.execPath,
      [writer, warehouse, sourceDir, dataDir, join(workDir, 's.json'), tableFile],
      {
        encoding: 'utf8',
      },
    );
    expect(r.status).toBe(1);
    expect(existsSync(tableFile) || existsSync(`${tableFile}.tmp`)).toBe(false);
    const { status, output } = write();
    rmSync(join(sourceDir, 'broken.sql'));
    expect(status).toBe(1);
    expect(output).toMatch(/broken \(.*broken\.sql\) failed: .*no_such_column/);
    expect(output).toMatch(/1 of 4 source queries failed/);
    expect(existsSync(join(dataDir, 'manifest.json'))).toBe(false);
  });
});
