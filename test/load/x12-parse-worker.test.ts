import { readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBAppender, type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadX12 } from '../../etl/load/x12-loader.ts';
import { parseInWorker, WORKER_MIN_BYTES } from '../../etl/load/x12-parse-in-worker.ts';
import { parseToRows } from '../../etl/load/x12-row-sink.ts';
import { type X12Writers, x12Tables } from '../../etl/load/x12-tables.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { loadFile } from '../../etl/warehouse/load-file.ts';
import { migrate } from '../../etl/warehouse/migrations.ts';
import { TableWriter } from '../../etl/warehouse/x12-table-writer.ts';
import { X12Error } from '../../etl/x12/errors.ts';
import { writeHugeAmount835 } from '../helpers/huge-amount-835.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');
const synthetic = path.join(import.meta.dirname, '../fixtures/x12/synthetic');

/** Every X12 file of the public corpus, and the synthetic reversal/correction remittance. */
const files = [
  ...readFileSync(path.join(corpus, 'MANIFEST.tsv'), 'utf8')
    .trimEnd()
    .split('\n')
    .slice(1)
    .map((line) => path.join(corpus, line.split('\t')[0] as string)),
  path.join(synthetic, 'reversal-correction-plb.835'),
];

type Writers = Record<keyof X12Writers, TableWriter>;

/** Writers on every raw table for one file id, each on its own appender, in the connection's transaction. */
async function writersFor(connection: DuckDBConnection, fileId: bigint) {
  const writers = {} as Writers;
  const appenders: DuckDBAppender[] = [];
  for (const [key, table] of Object.entries(x12Tables)) {
    const appender = await connection.createAppender(table.name, 'raw');
    appenders.push(appender);
    writers[key as keyof X12Writers] = new TableWriter(appender, table, 'P001', fileId);
  }
  const close = () => {
    for (const writer of Object.values(writers)) writer.flush();
    for (const appender of appenders) appender.closeSync();
  };
  return { writers, close };
}

describe('parsing a big X12 file in a worker thread', () => {
  let instance: DuckDBInstance;
  let connection: DuckDBConnection;

  beforeAll(async () => {
    instance = await DuckDBInstance.create(':memory:');
    connection = await instance.connect();
    await migrate(connection);
  });
  afterAll(() => {
    connection.closeSync();
    instance.closeSync();
  });

  const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();

  it.each(files.map((file) => [path.relative(path.join(corpus, '..'), file), file]))(
    'gives the rows, value for value, the issues and the payment traces of the in-thread parse for %s',
    async (_name, file) => {
      const fileName = path.basename(file);
      // The file's two parses get their own ids: 1 on this thread, 2 in the worker.
      await connection.run('begin transaction');
      try {
        const here = await writersFor(connection, 1n);
        const inThread = await parseToRows(file, fileName, here.writers);
        here.close();
        const there = await writersFor(connection, 2n);
        const inWorker = await parseInWorker(
          { filePath: file, fileName, practiceId: 'P001', fileId: 2n },
          there.writers,
        );
        there.close();
        expect(inWorker.result).toEqual(inThread.result);
        expect(inWorker.payments).toEqual(inThread.payments);
        let stored = 0;
        for (const table of Object.values(x12Tables)) {
          const side = (fileId: number) =>
            `select * exclude (file_id) from raw.${table.name} where file_id = ${fileId}`;
          const [[onlyHere, onlyThere, count] = []] = await rows(
            `select (select count(*) from (${side(1)} except all ${side(2)})),
                    (select count(*) from (${side(2)} except all ${side(1)})),
                    (select count(*) from raw.${table.name} where file_id = 1)`,
          );
          expect([table.name, onlyHere, onlyThere]).toEqual([table.name, 0n, 0n]);
          stored += Number(count);
        }
        // Every corpus file gives rows (a 999 on an 834 gives its acknowledgment rows).
        expect(stored).toBeGreaterThan(0);
      } finally {
        await connection.run('rollback');
      }
    },
  );

  it('throws the X12Error of the in-thread parse for a value the raw tables cannot hold', async () => {
    const wh = tempWarehouse('x12-worker-error');
    try {
      const { file: bad, source } = writeHugeAmount835(wh.dir);
      await connection.run('begin transaction');
      const errors: unknown[] = [];
      try {
        for (const [fileId, parse] of [
          [1n, (w: Writers) => parseToRows(bad, 'huge-amount.835', w)],
          [
            2n,
            (w: Writers) =>
              parseInWorker(
                { filePath: bad, fileName: 'huge-amount.835', practiceId: 'P001', fileId: 2n },
                w,
              ),
          ],
        ] as const) {
          const { writers } = await writersFor(connection, fileId);
          errors.push(
            await parse(writers).then(
              () => null,
              (error: unknown) => error,
            ),
          );
        }
      } finally {
        await connection.run('rollback');
      }
      const [here, there] = errors as [X12Error, X12Error];
      expect(there).toBeInstanceOf(X12Error);
      expect(here).toBeInstanceOf(X12Error);
      // Segment 45 is the CLP of PCN300 (load.test.ts), at its byte offset in the file.
      expect(there.location).toBe(`segment 45 (byte ${source.indexOf('CLP*PCN300')})`);
      expect(there.message).toBe(here.message);
    } finally {
      wh.remove();
    }
  });

  it('rejects with a file system error the inbox can tell from bad input (a file gone)', async () => {
    const { writers } = await writersFor(connection, 9n);
    const missing = path.join(synthetic, 'no-such-file.835');
    const error = await parseInWorker(
      { filePath: missing, fileName: 'no-such-file.835', practiceId: 'P001', fileId: 9n },
      writers,
    ).then(
      () => null,
      (e: unknown) => e as NodeJS.ErrnoException,
    );
    expect(error?.code).toBe('ENOENT');
    expect(error?.syscall).toBeDefined();
  });
});

describe('loading a remittance above the worker threshold', () => {
  const wh = tempWarehouse('x12-worker-load');
  let warehouse: Warehouse;
  const source = readFileSync(path.join(corpus, 'tastypackets/profee-multiple.edi'));
  /** 119 copies of a 282,983-byte interchange: 33,674,977 bytes, above the 32 MiB at which the worker takes over. */
  const copies = 119;
  const big = path.join(wh.dir, 'profee-119x.edi');

  beforeAll(async () => {
    writeFileSync(big, Buffer.concat(Array.from({ length: copies }, () => source)));
    warehouse = await openWarehouse(wh.database);
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
  });

  const load = (file: string) =>
    loadFile(warehouse.connection, wh, { filePath: file, practiceId: 'P001', kind: '835' }, loadX12);

  it('loads it through the worker with the hand-checked totals of one copy, times 119', async () => {
    expect(statSync(big).size).toBeGreaterThanOrEqual(WORKER_MIN_BYTES);
    const outcome = await load(big);
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    // One copy: 468 claims, 1,560 lines, Σ CLP04 = Σ BPR02 = 7,137.00 (test/x12/load.test.ts).
    const [[claims, lines, clp04, bpr02, registered] = []] = (
      await warehouse.connection.runAndReadAll(
        `select (select count(*) from raw.era_claims where file_id = $id),
                (select count(*) from raw.era_service_lines where file_id = $id),
                (select sum(paid_amount)::varchar from raw.era_claims where file_id = $id),
                (select sum(total_paid)::varchar from raw.era_remittances where file_id = $id),
                (select row_count from raw.files where file_id = $id)`,
        { id: outcome.fileId },
      )
    ).getRows();
    expect([claims, lines, clp04, bpr02]).toEqual([55_692n, 185_640n, '849303.00', '849303.00']);
    expect(Number(registered)).toBe(outcome.rowCount);
  });

  it('gives the rows of the in-thread parse, value for value, with chunk buffers going back and forth', async () => {
    // 231 chunks, well beyond the 16 in flight: the worker's buffers come back from the loading thread and are
    // reused. (That a reused buffer is zero-filled, as DuckDB's inline text needs, is returned-buffers.test.ts's:
    // stored rows keep only a text's own bytes, so a comparison of rows cannot see the padding.)
    const connection = warehouse.connection;
    await connection.run('begin transaction');
    try {
      const here = await writersFor(connection, 101n);
      await parseToRows(big, 'profee-119x.edi', here.writers);
      here.close();
      const there = await writersFor(connection, 102n);
      await parseInWorker(
        { filePath: big, fileName: 'profee-119x.edi', practiceId: 'P001', fileId: 102n },
        there.writers,
      );
      there.close();
      for (const table of Object.values(x12Tables)) {
        const side = (fileId: number) =>
          `select * exclude (file_id) from raw.${table.name} where file_id = ${fileId}`;
        const [[onlyHere, onlyThere, count] = []] = (
          await connection.runAndReadAll(
            `select (select count(*) from (${side(101)} except all ${side(102)})),
                    (select count(*) from (${side(102)} except all ${side(101)})),
                    (select count(*) from raw.${table.name} where file_id = 101)`,
          )
        ).getRows();
        expect([table.name, onlyHere, onlyThere]).toEqual([table.name, 0n, 0n]);
        if (table.name === 'era_service_lines') expect(count).toBe(185_640n);
      }
    } finally {
      await connection.run('rollback');
    }
  });

  it('rejects with the error of this thread when appending fails, while the worker waits for room', async () => {
    // The sixth chunk fails: the worker, 64 chunks ahead at most, is then blocked waiting for room, and must be
    // ended rather than left waiting (vitest would hang on it).
    let chunks = 0;
    const appendChunk = () => {
      if (++chunks > 5) throw new Error('the appender refused the chunk');
    };
    const writers = Object.fromEntries(
      Object.keys(x12Tables).map((key) => [key, { appendChunk }]),
    ) as unknown as Writers;
    await expect(
      parseInWorker({ filePath: big, fileName: 'profee-119x.edi', practiceId: 'P001', fileId: 5n }, writers),
    ).rejects.toThrow('the appender refused the chunk');
    expect(chunks).toBe(6);
  });

  it('quarantines a copy with a bad amount in its last claim, naming its segment, and keeps no row of it', async () => {
    const text = source.toString('latin1');
    const last = text.lastIndexOf('CLP*');
    const clp = text.slice(last, text.indexOf('~', last));
    const parts = clp.split('*');
    parts[4] = `${parts[4]}O`; // CLP04 no longer an amount
    const broken = `${text.slice(0, last)}${parts.join('*')}${text.slice(last + clp.length)}`;
    const bad = path.join(wh.dir, 'profee-119x-bad.edi');
    writeFileSync(
      bad,
      Buffer.concat([...Array.from({ length: copies - 1 }, () => source), Buffer.from(broken, 'latin1')]),
    );
    const before = (
      await warehouse.connection.runAndReadAll('select count(*) from raw.era_claims')
    ).getRows();
    const outcome = await load(bad);
    expect(outcome.status).toBe('quarantined');
    if (outcome.status !== 'quarantined') return;
    expect(outcome.message).toBe(`expected CLP04 as a decimal amount, found "${parts[4]}"`);
    expect(outcome.location).toMatch(new RegExp(`\\(byte ${(copies - 1) * source.length + last}\\)$`));
    expect(
      (await warehouse.connection.runAndReadAll('select count(*) from raw.era_claims')).getRows(),
    ).toEqual(before);
  });
});
