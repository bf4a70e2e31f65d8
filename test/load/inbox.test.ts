import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('inbox', () => {
  const wh = tempWarehouse('inbox');
  afterAll(() => wh.remove());

  it('lists practice folders in name order and quarantines files of no known kind, once', async () => {
    const inbox = path.join(wh.dir, 'inbox');
    mkdirSync(path.join(inbox, 'P002', 'misc'), { recursive: true });
    mkdirSync(path.join(inbox, 'P001'), { recursive: true });
    writeFileSync(path.join(inbox, 'P002', 'misc', 'notes.txt'), 'call the payer on monday');
    writeFileSync(path.join(inbox, 'P001', 'truncated.835'), 'ISA*00*          *00*    ');
    writeFileSync(path.join(inbox, 'README.txt'), 'not in a practice folder: ignored');

    const files = listInbox(inbox);
    expect(files.map((f) => [f.practiceId, path.relative(inbox, f.filePath)])).toEqual([
      ['P001', 'P001/truncated.835'],
      ['P002', 'P002/misc/notes.txt'],
    ]);

    const warehouse = await openWarehouse(wh.database);
    try {
      const first = await loadInboxFiles(warehouse.connection, wh, files);
      expect(first.map((o) => [o.kind, o.status])).toEqual([
        ['unknown-x12', 'quarantined'],
        ['unknown', 'quarantined'],
      ]);
      const notes = first[1];
      expect(notes?.status === 'quarantined' && notes.message).toBe(
        'expected an X12 file (835, 277CA, 999) or a CSV export with a header line, found neither',
      );
      const truncated = first[0];
      expect(truncated?.status === 'quarantined' && truncated.location).toMatch(/^segment 1 \(byte 0\)/);

      await loadInboxFiles(warehouse.connection, wh, files);
      const rows = (
        await warehouse.connection.runAndReadAll(
          "select practice_id, original_name from raw.files where status = 'quarantined' order by 1",
        )
      ).getRows();
      expect(rows).toEqual([
        ['P001', 'truncated.835'],
        ['P002', 'notes.txt'],
      ]);
    } finally {
      warehouse.close();
    }
  });
});
