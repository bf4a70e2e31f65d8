// The PHI scan of the built site reads every kind of file the site ships: its findings are only as good as its
// decoding, so each kind is checked here with a planted value.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromArrays, tableToIPC } from 'apache-arrow';
import { afterAll, describe, expect, it } from 'vitest';
import { canaryHits } from '../helpers/canary-scan.ts';

describe('canaryHits', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'rcm-canary-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('finds a value in text, Arrow IPC (stream and file) and compressed Parquet, case-insensitively', async () => {
    writeFileSync(path.join(dir, 'page.html'), '<td>Zyxwarbler</td>');
    const table = tableFromArrays({ claim_id: ['C1', 'C2'], note: ['plain', 'QUILLFEATHER-7'] });
    writeFileSync(path.join(dir, 'query.arrow'), tableToIPC(table, 'stream'));
    writeFileSync(path.join(dir, 'query-file.arrow'), tableToIPC(table, 'file'));
    const db = await DuckDBInstance.create(':memory:');
    const conn = await db.connect();
    const parquet = path.join(dir, 'data.parquet');
    // ZSTD pages: the value is not in the file's bytes, only in its decoded rows.
    await conn.run(
      `copy (select 'Marrowdale' || repeat('x', 3) as v from range(1000)) to '${parquet}' (format parquet, compression zstd)`,
    );
    conn.closeSync();
    db.closeSync();
    const hits = await canaryHits([dir], ['zyxwarbler', 'quillfeather-7', 'MARROWDALExxx', 'Absentvalue']);
    expect(
      hits.map((h) => `${path.basename(h.split(': ')[0] as string)}: ${h.split(': ')[1]}`).sort(),
    ).toEqual([
      'data.parquet: MARROWDALEXXX',
      'page.html: ZYXWARBLER',
      'query-file.arrow: QUILLFEATHER-7',
      'query.arrow: QUILLFEATHER-7',
    ]);
  });

  it('refuses an .arrow file it cannot decode instead of passing it unread', async () => {
    const bad = path.join(dir, 'bad', 'broken.arrow');
    mkdirSync(path.dirname(bad), { recursive: true });
    writeFileSync(bad, 'QUILLFEATHER-7 but not Arrow');
    await expect(canaryHits([bad], ['quillfeather-7'])).rejects.toThrow(/not a readable Arrow IPC file/);
  });
});
