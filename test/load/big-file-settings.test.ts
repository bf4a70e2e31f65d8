import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { BIG_FILE_MEMORY_LIMIT } from '../../etl/config.ts';
import { bigFileThreads, settingsForBigFiles, withBigFileHint } from '../../etl/load/big-file-settings.ts';
import { loadInboxFiles } from '../../etl/load/inbox.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');
const source = readFileSync(path.join(corpus, 'tastypackets/profee-multiple.edi'));
/** A small file of another kind, loaded in the same batch as the big one. */
const small = path.join(corpus, 'imsweb/x12_999_accepted.txt');

/** DuckDB shows 64MB (64,000,000 bytes) as 61.0 MiB. */
const CAPPED = '61.0 MiB';
const setting = async (connection: DuckDBConnection, name = 'memory_limit') =>
  String((await connection.runAndReadAll(`select current_setting('${name}')`)).getRows()[0]?.[0]);

describe('DuckDB threads beside the parsing worker', () => {
  it('are the cores but one, at least one', () => {
    expect([1, 2, 4, 8].map((cores) => bigFileThreads(cores))).toEqual([1, 1, 3, 7]);
  });
});

describe('a big X12 file loads under settings of its own', () => {
  const wh = tempWarehouse('big-file-settings');
  let warehouse: Warehouse;
  let watcher: DuckDBConnection;
  let defaultLimit = '';
  let defaultThreads = '';
  /** 119 copies of a 282,983-byte interchange: 33,674,977 bytes, above the 32 MiB a worker parses from. */
  const big = path.join(wh.dir, 'inbox', 'P001', 'profee-119x.edi');
  const smallCopy = path.join(wh.dir, 'inbox', 'P001', 'accepted.999');

  beforeAll(async () => {
    mkdirSync(path.dirname(big), { recursive: true });
    writeFileSync(big, Buffer.concat(Array.from({ length: 119 }, () => source)));
    copyFileSync(small, smallCopy);
    warehouse = await openWarehouse(wh.database);
    watcher = await warehouse.instance.connect();
    defaultLimit = await setting(watcher);
    defaultThreads = await setting(watcher, 'threads');
  });
  afterEach(() => {
    delete process.env.RCM_MEMORY_LIMIT;
  });
  afterAll(() => {
    watcher.closeSync();
    warehouse.close();
    wh.remove();
  });

  /** Loads the files while another connection reads DuckDB's memory limit and threads every few milliseconds. */
  async function loadWatching(files: string[]) {
    const seen = new Set<string>();
    const threads = new Set<string>();
    let watching = true;
    const watch = (async () => {
      while (watching) {
        seen.add(await setting(watcher));
        threads.add(await setting(watcher, 'threads'));
        await new Promise((resolve) => setTimeout(resolve, 2));
      }
    })();
    try {
      const outcomes = await loadInboxFiles(
        warehouse.connection,
        wh,
        files.map((filePath) => ({ filePath, practiceId: 'P001' })),
      );
      return { outcomes, seen, threads };
    } finally {
      watching = false;
      await watch;
    }
  }

  it("holds 64MB and one thread fewer while the big file loads, and DuckDB's defaults before and after it", async () => {
    expect(defaultLimit).not.toBe(CAPPED);
    const fewer = String(bigFileThreads());
    const { outcomes, seen, threads } = await loadWatching([smallCopy, big]);
    expect(outcomes.map((o) => o.status)).toEqual(['loaded', 'loaded']);
    expect(seen.has(CAPPED)).toBe(true);
    expect([...seen].every((limit) => limit === CAPPED || limit === defaultLimit)).toBe(true);
    expect(await setting(warehouse.connection)).toBe(defaultLimit);
    expect(threads.has(fewer)).toBe(true);
    expect([...threads].every((n) => n === fewer || n === defaultThreads)).toBe(true);
    expect(await setting(warehouse.connection, 'threads')).toBe(defaultThreads);
    // One copy: 468 claims, Σ CLP04 7,137.00 (test/x12/load.test.ts), times 119.
    const [[claims, paid] = []] = (
      await warehouse.connection.runAndReadAll(
        'select count(*), sum(paid_amount)::varchar from raw.era_claims',
      )
    ).getRows();
    expect([claims, paid]).toEqual([55_692n, '849303.00']);
  });

  it('keeps a limit the load was given (RCM_MEMORY_LIMIT), for the big file too, and still lowers the threads', async () => {
    process.env.RCM_MEMORY_LIMIT = '1GB';
    await warehouse.connection.run("set memory_limit = '1GB'");
    try {
      const again = path.join(wh.dir, 'inbox', 'P001', 'profee-119x-again.edi');
      // Other bytes (one copy more), so the file is loaded, not skipped as already loaded.
      writeFileSync(again, Buffer.concat(Array.from({ length: 120 }, () => source)));
      const { outcomes, seen, threads } = await loadWatching([again]);
      // The copies' payment traces are those of the files already loaded: the file is quarantined as a resent
      // remittance, having been parsed and appended whole first.
      expect(outcomes[0]?.status).toBe('quarantined');
      expect([...seen]).toEqual(['953.6 MiB']);
      expect(threads.has(String(bigFileThreads()))).toBe(true);
    } finally {
      await warehouse.connection.run('reset memory_limit');
    }
  });

  it('leaves the limit as it was when DuckDB cannot come down to it, and the next transaction runs', async () => {
    const instance = await DuckDBInstance.create(':memory:', { temp_directory: '' });
    const connection = await instance.connect();
    try {
      // 3,000,000 distinct 32-character texts in memory, with nowhere to spill them: more than 64MB DuckDB
      // cannot free.
      await connection.run(
        'create table held as select range as i, md5(range::varchar) as s from range(3000000)',
      );
      const before = await setting(connection);
      const threadsBefore = await setting(connection, 'threads');
      const restore = await settingsForBigFiles(connection, [big], undefined);
      expect(await setting(connection)).toBe(before);
      expect(await setting(connection, 'threads')).toBe(String(bigFileThreads()));
      await connection.run('begin transaction');
      await connection.run("insert into held values (-1, 'x')");
      await connection.run('commit');
      await restore();
      expect(await setting(connection)).toBe(before);
      expect(await setting(connection, 'threads')).toBe(threadsBefore);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('names the limit in an out-of-memory error, and leaves other errors alone', () => {
    const oom = withBigFileHint(
      new Error('Out of Memory Error: failed to pin block of size 256.0 KiB'),
    ) as Error;
    expect(oom.message).toContain(`${BIG_FILE_MEMORY_LIMIT} while an X12 file of 32 MiB or more loads`);
    expect(oom.message).toContain('RCM_MEMORY_LIMIT=1GB');
    expect((withBigFileHint(new Error('disk full')) as Error).message).toBe('disk full');
  });
});
