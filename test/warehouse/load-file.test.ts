import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InputError } from '../../etl/input-error.ts';
import { loadX12 } from '../../etl/load/x12-loader.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import {
  BatchFlushFailed,
  type FileLoader,
  loadFile,
  loadFilesInTransaction,
} from '../../etl/warehouse/load-file.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const sample = path.resolve('test/fixtures/public-inbox/inbox/P001/era/secondary-payment.835');

/** A full garbage collection now, so an abandoned appender's finalizer runs at a known point. */
function collectGarbage(): void {
  setFlagsFromString('--expose-gc');
  (runInNewContext('gc') as () => void)();
}

describe('loadFile', () => {
  const wh = tempWarehouse('load-file');
  let warehouse: Warehouse;

  beforeAll(async () => {
    warehouse = await openWarehouse(wh.database);
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
  });

  const count = async (sql: string) =>
    Number((await warehouse.connection.runAndReadAll(sql)).getRows()[0]?.[0]);

  it('loads a file whole, registers it by content hash and archives an identical copy', async () => {
    const outcome = await loadFile(
      warehouse.connection,
      wh,
      { filePath: sample, practiceId: 'P001', kind: '835' },
      loadX12,
    );
    expect(outcome.status).toBe('loaded');
    // secondary-payment.835: one ST, BPR02 1222.00 (check), two CLPs paying 912.00 + 310.00.
    expect(await count('select count(*) from raw.era_remittances')).toBe(1);
    expect(await count('select count(*) from raw.era_claims')).toBe(2);
    const reader = await warehouse.connection.runAndReadAll(
      "select sha256, stored_path, size_bytes, total_paid::varchar from raw.files join raw.era_remittances using (file_id) where status = 'loaded'",
    );
    const [sha, stored, size, paid] = reader.getRows()[0] ?? [];
    const expectedSha = execFileSync('sha256sum', [sample], { encoding: 'utf8' }).split(' ')[0];
    expect(sha).toBe(expectedSha);
    expect(size).toBe(BigInt(readFileSync(sample).length));
    expect(paid).toBe('1222.00');
    expect(readFileSync(String(stored))).toEqual(readFileSync(sample));
  });

  it('changes nothing when the same content is loaded again, under any name', async () => {
    const copy = path.join(wh.dir, 'renamed.835');
    writeFileSync(copy, readFileSync(sample));
    const outcome = await loadFile(
      warehouse.connection,
      wh,
      { filePath: copy, practiceId: 'P001', kind: '835' },
      loadX12,
    );
    expect(outcome.status).toBe('skipped');
    expect(await count('select count(*) from raw.files')).toBe(1);
    expect(await count('select count(*) from raw.era_claims')).toBe(2);
  });

  it('refuses content already loaded for another practice, so the money is never counted twice', async () => {
    const outcome = await loadFile(
      warehouse.connection,
      wh,
      { filePath: sample, practiceId: 'P009', kind: '835' },
      loadX12,
    );
    expect(outcome.status).toBe('quarantined');
    if (outcome.status !== 'quarantined') return;
    expect(outcome.message).toBe(
      'expected a file not already loaded for another practice, found the same content loaded for practice P001 as file_id 1',
    );
    expect(await count("select count(*) from raw.era_claims where practice_id = 'P009'")).toBe(0);
  });

  it('quarantines a bad file with its location, writes none of its rows and keeps what was loaded', async () => {
    // Second CLP04 is not an amount: the first claim was already appended when the error is found.
    const bad = path.join(wh.dir, 'bad.835');
    writeFileSync(
      bad,
      readFileSync(sample, 'latin1').replace(
        /(CLP\*[^*]*\*[^*]*\*[^*]*\*)([^*~]*)([\s\S]*CLP\*[^*]*\*[^*]*\*[^*]*\*)([^*~]*)/,
        '$1$2$3$4X',
      ),
    );
    const outcome = await loadFile(
      warehouse.connection,
      wh,
      { filePath: bad, practiceId: 'P001', kind: '835' },
      loadX12,
    );
    expect(outcome.status).toBe('quarantined');
    if (outcome.status !== 'quarantined') return;
    expect(outcome.location).toMatch(/^segment \d+ \(byte \d+\)$/);
    expect(outcome.message).toMatch(/^expected CLP04 as a decimal amount, found "[0-9.]+X"$/);
    expect(await count('select count(*) from raw.era_claims')).toBe(2);
    expect(await count('select count(*) from raw.era_remittances')).toBe(1);
    expect(
      await count(
        "select count(*) from raw.files where status = 'quarantined' and original_name = 'bad.835'",
      ),
    ).toBe(1);
    const report = JSON.parse(
      readFileSync(path.join(wh.quarantineDir, outcome.sha256, 'error.json'), 'utf8'),
    );
    expect(report.location).toBe(outcome.location);
    expect(existsSync(path.join(wh.quarantineDir, outcome.sha256, 'bad.835'))).toBe(true);
  });

  it('drops rows a loader appended before failing, even mid-row', async () => {
    const other = path.join(wh.dir, 'other.txt');
    writeFileSync(other, 'anything');
    const outcome = await loadFile(
      warehouse.connection,
      wh,
      { filePath: other, practiceId: 'P002', kind: 'test' },
      async ({ appender, fileId, fileName }) => {
        const claims = await appender('era_claims');
        for (let i = 0; i < 3000; i++) {
          claims.appendVarchar('P002');
          claims.appendBigInt(fileId);
          claims.appendVarchar('1');
          claims.appendInteger(i);
          claims.appendVarchar(`PCN${i}`);
          claims.appendVarchar('1');
          claims.appendNull();
          claims.appendNull();
          claims.appendNull();
          claims.appendNull();
          claims.endRow();
        }
        claims.appendVarchar('P002');
        throw new InputError({ file: fileName, location: 'line 3001', expected: 'more', found: 'less' });
      },
    );
    expect(outcome.status).toBe('quarantined');
    expect(await count("select count(*) from raw.era_claims where practice_id = 'P002'")).toBe(0);
    expect(await count('select count(*) from raw.era_claims')).toBe(2);
  });

  it('records a quarantined file once, however often it is loaded again', async () => {
    const bad = path.join(wh.dir, 'bad.835');
    const again = await loadFile(
      warehouse.connection,
      wh,
      { filePath: bad, practiceId: 'P001', kind: '835' },
      loadX12,
    );
    expect(again.status).toBe('quarantined');
    expect(
      await count(
        "select count(*) from raw.files where status = 'quarantined' and original_name = 'bad.835'",
      ),
    ).toBe(1);
  });

  it('refuses a practice id that could not be a folder name', async () => {
    await expect(
      loadFile(warehouse.connection, wh, { filePath: sample, practiceId: '../x', kind: '835' }, loadX12),
    ).rejects.toThrow(/practice id/);
  });

  it('loads a file whose archive copy has a load record left torn by a kill, and writes it whole', async () => {
    const fresh = tempWarehouse('load-file-torn');
    const opened = await openWarehouse(fresh.database);
    try {
      const sha = execFileSync('sha256sum', [sample], { encoding: 'utf8' }).split(' ')[0] as string;
      const copyDir = path.join(fresh.archiveDir, sha.slice(0, 2), sha);
      mkdirSync(copyDir, { recursive: true });
      writeFileSync(path.join(copyDir, 'load.json'), '{"practice_id": "P0');
      const outcome = await loadFile(
        opened.connection,
        fresh,
        { filePath: sample, practiceId: 'P001', kind: '835' },
        loadX12,
      );
      expect(outcome.status).toBe('loaded');
      expect(JSON.parse(readFileSync(path.join(copyDir, 'load.json'), 'utf8')).practice_id).toBe('P001');
      expect(readdirSync(copyDir).sort()).toEqual(['load.json', 'secondary-payment.835']);
    } finally {
      opened.close();
      fresh.remove();
    }
  });

  it('refuses a whole batch whose rows the table rejects only when written; alone, the file is quarantined', async () => {
    const fresh = tempWarehouse('load-file-flush');
    const opened = await openWarehouse(fresh.database);
    const { connection } = opened;
    const rows = async (sql: string) => Number((await connection.runAndReadAll(sql)).getRows()[0]?.[0]);
    // raw.file_warnings.practice_id is NOT NULL: DuckDB checks it when the appender is flushed, not on append
    const nullPractice: FileLoader = async ({ appender, fileId }) => {
      const warnings = await appender('file_warnings');
      warnings.appendBigInt(fileId);
      warnings.appendNull();
      for (const text of ['line 1', 'test', 'a row without its practice']) warnings.appendVarchar(text);
      warnings.endRow();
      return { rowCount: 1, warnings: [] };
    };
    const other = path.join(fresh.dir, 'no-practice.txt');
    writeFileSync(other, 'anything');
    const good = { request: { filePath: sample, practiceId: 'P001', kind: '835' }, loader: loadX12 };
    const bad = { request: { filePath: other, practiceId: 'P001', kind: 'test' }, loader: nullPractice };
    try {
      await connection.run('begin transaction');
      await expect(loadFilesInTransaction(connection, fresh, [good, bad])).rejects.toBeInstanceOf(
        BatchFlushFailed,
      );
      await connection.run('rollback');
      // the good file of the refused batch left nothing either
      expect(await rows('select count(*) from raw.files')).toBe(0);
      expect(await rows('select count(*) from raw.era_claims')).toBe(0);
      expect(await rows('select count(*) from raw.file_warnings')).toBe(0);

      const alone = await loadFile(connection, fresh, bad.request, bad.loader);
      expect(alone.status).toBe('quarantined');
      if (alone.status === 'quarantined') expect(alone.message).toMatch(/NOT NULL/);
      // The refused row must not come back: an appender finalized with rows still buffered writes them into
      // whatever transaction its connection has open then, here the next file's
      await connection.run('begin transaction');
      collectGarbage();
      await new Promise((resolve) => setTimeout(resolve, 20));
      expect(await rows('select count(*) from raw.files')).toBe(1); // the quarantined file's registry row
      await connection.run('commit');
      expect((await loadFile(connection, fresh, good.request, good.loader)).status).toBe('loaded');
      expect(await rows("select count(*) from raw.files where status = 'loaded'")).toBe(1);
      expect(await rows('select count(*) from raw.era_claims')).toBe(2);
      // the 835's own warning (a composite split on ">"), and nothing of the refused row
      expect(await rows('select count(*) from raw.file_warnings')).toBe(1);
    } finally {
      opened.close();
      fresh.remove();
    }
  });
});
