import { createRequire } from 'node:module';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { formatCents } from '../../etl/money.ts';
import { RawValueError, RowBuffer, type RowValue } from '../../etl/warehouse/raw-row-buffers.ts';
import { TableWriter } from '../../etl/warehouse/x12-table-writer.ts';
import { createTableSql, type RawTable } from '../../etl/x12/raw-tables.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** One column of every type the raw tables use, plus the columns the writer fills itself or from keys. */
const table: RawTable = {
  name: 'writer_test',
  columns: [
    { name: 'practice_id', type: 'varchar' },
    { name: 'file_id', type: 'bigint' },
    { name: 'interchange_control_number', type: 'varchar' },
    { name: 'segment_no', type: 'integer' },
    { name: 'name', type: 'varchar' },
    { name: 'amount', type: 'money' },
    { name: 'day', type: 'date' },
    { name: 'count', type: 'integer' },
    { name: 'byte_offset', type: 'bigint' },
    { name: 'flag', type: 'boolean' },
    { name: 'units', type: 'quantity' },
  ],
};

/** Longer than 12 bytes: DuckDB keeps it out of line, so it is also a run of equal long values. */
const PRACTICE = 'riverside-family-practice';
const ROWS = 5000; // three data chunks: 2048 + 2048 + 904

/** Nine, so a row's slot holds another value in the next chunk (2048 is no multiple of 9). */
const NAMES: (string | null)[] = [
  'CO',
  'ABCDEFGHI',
  'ABCDEFGHIJKL', // 12 characters: the longest inline string
  'ABCDEFGHIJKLM', // 13: the shortest out-of-line one
  'MÜLLER', // 7 characters, 8 bytes of UTF-8
  null,
  '',
  'a longer value with ü, more than twelve bytes',
  'PR',
];
/** Quantity text as a file has it, and DECIMAL(18,4) as DuckDB prints it (worked out by hand). */
const QUANTITIES: [string, string][] = [
  ['1', '1.0000'],
  ['0.5', '0.5000'],
  ['-2.25', '-2.2500'],
  ['.75', '0.7500'],
  ['+3', '3.0000'],
  ['1.50000', '1.5000'],
  ['12.3456', '12.3456'],
  ['99999999999999.9999', '99999999999999.9999'],
  ['0.1', '0.1000'], // 0.1 has no exact binary fraction: a DOUBLE would not hold it
];
const DATES = ['1970-01-01', '2026-02-28', '1800-01-01', '9999-12-31', '2024-02-29', '1969-12-31'];

function nameAt(i: number): string | null {
  if (i >= 3000 && i < 3010) return 'REPEATED-LONG-VALUE-1'; // a run of one long value …
  if (i >= 3010 && i < 3013) return 'REPEATED-LONG-VALUE-2'; // … then another
  return NAMES[i % NAMES.length] as string | null;
}

function amountAt(i: number): bigint | null {
  if (i === 1) return 999_999_999_999_999_999n; // the largest DECIMAL(18,2)
  if (i === 2) return -999_999_999_999_999_999n;
  if (i % 7 === 0) return null;
  return BigInt(i) * 12_345n * (i % 2 === 0 ? 1n : -1n);
}

function offsetAt(i: number): number | bigint | null {
  if (i % 13 === 0) return null;
  if (i % 3 === 0) return BigInt(-i) * 1_000_000_007n; // a bigint, negative
  return i % 2 === 0 ? 5_000_000_000 + i : -(2 ** 40) - i; // numbers beyond 32 bits, both signs
}

function rowAt(i: number): Record<string, RowValue> {
  const amount = amountAt(i);
  return {
    segment_no: i,
    name: nameAt(i),
    // Cents may also come as a number (a whole one): stored the same.
    amount: amount !== null && i % 10 === 3 ? Number(amount) : amount,
    day: i % 5 === 0 ? null : (DATES[Math.floor(i / 3) % DATES.length] as string),
    count: i % 11 === 0 ? null : i - 2500,
    byte_offset: offsetAt(i),
    flag: i % 3 === 0 ? null : i % 2 === 0,
    // Quantities arrive as the file's text and are stored exactly as DECIMAL(18,4).
    units: i % 4 === 0 ? null : (QUANTITIES[i % QUANTITIES.length] as [string, string])[0],
  };
}

function keysAt(i: number): Record<string, RowValue> {
  return { interchange_control_number: i % 17 === 0 ? null : `ICN${Math.floor(i / 100)}` };
}

/** What reading row i back must give, with money, dates and bigints as DuckDB's text. */
function expectedAt(i: number): unknown[] {
  const row = rowAt(i);
  const amount = amountAt(i);
  const offset = row.byte_offset;
  return [
    PRACTICE,
    '42',
    keysAt(i).interchange_control_number,
    i,
    row.name,
    amount === null ? null : formatCents(amount),
    row.day,
    row.count,
    offset === null ? null : String(offset),
    row.flag,
    row.units === null ? null : (QUANTITIES[i % QUANTITIES.length] as [string, string])[1],
  ];
}

async function readBack(connection: DuckDBConnection): Promise<unknown[][]> {
  const reader = await connection.runAndReadAll(
    `select practice_id, file_id::varchar, interchange_control_number, segment_no, name, amount::varchar,
            day::varchar, count, byte_offset::varchar, flag, units::varchar
       from raw.writer_test order by segment_no`,
  );
  return reader.getRows();
}

/** An in-memory database holding schema raw with `raw` created in it, and an appender on that table. */
async function inMemoryTable(raw: RawTable) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run('create schema raw');
  await connection.run(createTableSql(raw));
  const appender = await connection.createAppender(raw.name, 'raw');
  const close = () => {
    connection.closeSync();
    instance.closeSync();
  };
  return { connection, appender, close };
}

describe('TableWriter', () => {
  const wh = tempWarehouse('table-writer');
  afterAll(() => wh.remove());
  const database = path.join(wh.dir, 'writer.duckdb');

  it('stores every column type exactly, nulls included, across data chunks', async () => {
    let instance = await DuckDBInstance.create(database);
    let connection = await instance.connect();
    await connection.run('create schema raw');
    await connection.run(createTableSql(table));
    await connection.run('begin transaction');
    const appender = await connection.createAppender(table.name, 'raw');
    const writer = new TableWriter(appender, table, PRACTICE, 42n);
    for (let i = 0; i < ROWS; i++) writer.append(rowAt(i), keysAt(i));
    writer.flush();
    appender.closeSync();
    await connection.run('commit');
    expect(writer.rowCount).toBe(ROWS);

    const expected = Array.from({ length: ROWS }, (_, i) => expectedAt(i));
    expect(await readBack(connection)).toEqual(expected);
    // Inline strings compare by their 16 bytes: padding left over from a longer value would break equality.
    const counts = await connection.runAndReadAll(
      `select count(*) filter (where name = 'CO'), count(*) filter (where name = 'ABCDEFGHIJKL'),
              count(*) filter (where name = 'MÜLLER'), count(*) filter (where name = ''),
              count(distinct name)
         from raw.writer_test`,
    );
    const perName = (name: string) => BigInt(expected.filter((row) => row[4] === name).length);
    expect(counts.getRows()[0]).toEqual([
      perName('CO'),
      perName('ABCDEFGHIJKL'),
      perName('MÜLLER'),
      perName(''),
      BigInt(NAMES.length + 1), // NAMES but null, and the two repeated long values
    ]);

    // Once more from the file, as DuckDB compressed it.
    connection.closeSync();
    instance.closeSync();
    instance = await DuckDBInstance.create(database);
    connection = await instance.connect();
    expect(await readBack(connection)).toEqual(expected);
    connection.closeSync();
    instance.closeSync();
  });

  it('stores the same values from chunks filled elsewhere (as a parsing worker hands them over)', async () => {
    const { connection, appender, close } = await inMemoryTable(table);
    const writer = new TableWriter(appender, table, 'ignored', 1n);
    /** Buffers rows as a worker does, handing each chunk's buffers to the writer instead of posting them. */
    class HandedOver extends RowBuffer {
      flush(): void {
        const columns = this.columns();
        if (this.buffered === 0 || columns === null) return;
        const count = this.buffered;
        const data = columns.map((column) => column.detach(count));
        this.buffered = 0;
        writer.appendChunk(count, data);
      }
    }
    const filler = new HandedOver(table, PRACTICE, 42n);
    // A row of the writer's own first: the chunks handed over come after it, and the writer counts them all.
    writer.append(rowAt(ROWS), keysAt(ROWS));
    for (let i = 0; i < ROWS; i++) filler.append(rowAt(i), keysAt(i));
    filler.flush();
    writer.flush();
    appender.closeSync();
    expect(writer.rowCount).toBe(ROWS + 1);
    const rows = await readBack(connection);
    expect(rows.filter((row) => row[0] === PRACTICE)).toEqual(
      Array.from({ length: ROWS }, (_, i) => expectedAt(i)),
    );
    expect(rows.filter((row) => row[0] === 'ignored').map((row) => row[3])).toEqual([ROWS]);
    close();
  });

  it("takes several files' rows in turn, each row keeping its own file's ids, each file counting its own rows", async () => {
    const { connection, appender, close } = await inMemoryTable(table);
    const writer = new TableWriter(appender, table, 'P001', 7n);
    // 3 + 2100 + 1 rows: the second file's rows straddle a data chunk, shared with the files either side.
    const files: [string, bigint, number][] = [
      ['P001', 7n, 3],
      ['P002', 8n, 2100],
      ['P001', 9n, 1],
    ];
    let segment = 0;
    for (const [practice, fileId, rows] of files) {
      writer.startFile(practice, fileId);
      for (let i = 0; i < rows; i++) writer.append({ segment_no: segment++ });
      expect(writer.rowCount).toBe(rows);
    }
    writer.flush();
    appender.closeSync();
    const reader = await connection.runAndReadAll(
      `select practice_id, file_id, count(*), min(segment_no), max(segment_no)
         from raw.writer_test group by all order by file_id`,
    );
    expect(reader.getRows()).toEqual([
      ['P001', 7n, 3n, 0, 2],
      ['P002', 8n, 2100n, 3, 2102],
      ['P001', 9n, 1n, 2103, 2103],
    ]);
    close();
  });

  it('refuses a table whose columns are not the ones it writes', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('create schema raw');
    await connection.run('create table raw.writer_test (practice_id varchar, file_id bigint)');
    const appender = await connection.createAppender(table.name, 'raw');
    expect(() => new TableWriter(appender, table, PRACTICE, 1n)).toThrow(
      'raw.writer_test has 2 columns, the X12 loader writes 11',
    );
    connection.closeSync();
    instance.closeSync();
  });

  it('refuses a row without a value for a NOT NULL column when it is appended, not when DuckDB is handed it', async () => {
    const strict: RawTable = {
      name: 'strict_test',
      columns: [
        { name: 'practice_id', type: 'varchar', notNull: true },
        { name: 'file_id', type: 'bigint', notNull: true },
        { name: 'code', type: 'varchar', notNull: true },
        { name: 'note', type: 'varchar' },
      ],
    };
    const { appender, close } = await inMemoryTable(strict);
    const writer = new TableWriter(appender, strict, PRACTICE, 1n);
    writer.append({ code: 'A', note: null });
    expect(() => writer.append({ code: null, note: 'x' })).toThrow(
      'raw.strict_test.code: expected a value (the column is NOT NULL), got null',
    );
    expect(() => writer.append({ note: 'x' })).toThrow('raw.strict_test.code: expected a value');
    // its own class: the X12 loader names the segment for these and lets any other error through
    expect(() => writer.append({ note: 'x' })).toThrow(RawValueError);
    close();
  });

  it('refuses money beyond DECIMAL(18,2), malformed dates, numbers beyond 32 bits and text where a number belongs, instead of storing garbage', async () => {
    const { appender, close } = await inMemoryTable(table);
    const writer = new TableWriter(appender, table, PRACTICE, 1n);
    expect(() => writer.append({ amount: 1_000_000_000_000_000_000n })).toThrow(
      'raw.writer_test.amount: expected cents within DECIMAL(18,2)',
    );
    expect(() => writer.append({ amount: 12.5 })).toThrow(
      'raw.writer_test.amount: expected whole cents, got 12.5',
    );
    expect(() => writer.append({ name: 7 })).toThrow('raw.writer_test.name: expected text, got 7');
    expect(() => writer.append({ day: '' })).toThrow('raw.writer_test.day: expected a YYYY-MM-DD date, got ');
    expect(() => writer.append({ day: '2024-1-5' })).toThrow('expected a YYYY-MM-DD date, got 2024-1-5');
    expect(() => writer.append({ count: 2 ** 31 })).toThrow(
      'raw.writer_test.count: expected a 32-bit whole number, got 2147483648',
    );
    expect(() => writer.append({ count: 1.5 })).toThrow('expected a 32-bit whole number, got 1.5');
    expect(() => writer.append({ units: '1.23456' })).toThrow(
      'raw.writer_test.units: expected a quantity of at most 14 digits and 4 decimals, got 1.23456',
    );
    close();
  });
});

describe('@duckdb/node-bindings', () => {
  it('is the one copy node-api itself loads: the writer hands node-api chunks to it', () => {
    // Two copies would load two DuckDB libraries, and a chunk made by one would be passed to the other.
    const require = createRequire(import.meta.url);
    const viaNodeApi = createRequire(require.resolve('@duckdb/node-api')).resolve('@duckdb/node-bindings');
    expect(viaNodeApi).toBe(require.resolve('@duckdb/node-bindings'));
    const root = require('../../package.json') as { dependencies: Record<string, string> };
    const nodeApi = require('@duckdb/node-api/package.json') as { dependencies: Record<string, string> };
    expect(root.dependencies['@duckdb/node-bindings']).toBe(nodeApi.dependencies['@duckdb/node-bindings']);
  });
});
