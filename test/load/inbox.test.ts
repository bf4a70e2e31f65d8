import { copyFileSync, mkdirSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { summarise } from '../../etl/cli/commands/load.ts';
import { detectKind } from '../../etl/load/detect-kind.ts';
import { listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { sha256File } from '../../etl/warehouse/file-hash.ts';
import { fingerprint } from '../../etl/warehouse/fingerprint.ts';
import { InboxFileHashes } from '../../etl/warehouse/inbox-file-hashes.ts';
import { alreadyLoaded } from '../../etl/warehouse/load-file.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
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
        'expected an X12 file (835, 837P, 277CA, 999) or a CSV export with a header line, found neither',
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

/** A one-line charges export (canonical columns) whose charge is `amount`. */
const charges = (amount: string) =>
  `claim_id,line_number,patient_id,service_date,cpt,charge_amount\nC1,1,P1,2024-01-05,99213,${amount}\n`;

/**
 * A billing company's inbox keeps its history: on a daily run most files were loaded on an earlier day. Those are
 * settled before any batch (alreadyLoaded), as skipped with their loaded copy's id, and only the rest is loaded.
 */
describe('files already loaded', () => {
  const wh = tempWarehouse('already-loaded');
  afterAll(() => wh.remove());
  it('are those whose content their own practice loaded; a copy elsewhere, a changed or an unreadable file is not', async () => {
    const inbox = path.join(wh.dir, 'inbox');
    mkdirSync(path.join(inbox, 'P001'), { recursive: true });
    mkdirSync(path.join(inbox, 'P002'), { recursive: true });
    writeFileSync(path.join(inbox, 'P001', 'charges-a.csv'), charges('125.00'));
    writeFileSync(path.join(inbox, 'P001', 'charges-b.csv'), charges('80.00'));
    const warehouse = await openWarehouse(wh.database);
    try {
      const first = await loadInboxFiles(warehouse.connection, wh, listInbox(inbox));
      expect(first.map((o) => o.status)).toEqual(['loaded', 'loaded']);
      const [a, b] = first.map((o) => (o.status === 'loaded' ? o.fileId : -1n));

      // The next day: one file rewritten, one new, the same bytes as a loaded file under another practice.
      writeFileSync(path.join(inbox, 'P001', 'charges-a.csv'), charges('130.00'));
      writeFileSync(path.join(inbox, 'P001', 'charges-c.csv'), charges('40.00'));
      copyFileSync(path.join(inbox, 'P001', 'charges-b.csv'), path.join(inbox, 'P002', 'charges-b.csv'));
      const files = listInbox(inbox);
      expect(files.map((f) => path.relative(inbox, f.filePath))).toEqual([
        'P001/charges-a.csv',
        'P001/charges-b.csv',
        'P001/charges-c.csv',
        'P002/charges-b.csv',
      ]);
      const settled = await alreadyLoaded(warehouse.connection, [
        ...files,
        { practiceId: 'P001', filePath: path.join(inbox, 'P001', 'vanished.csv') },
      ]);
      expect([...settled]).toEqual([
        [
          1,
          {
            outcome: { status: 'skipped', fileId: b, sha256: expect.stringMatching(/^[0-9a-f]{64}$/) },
            kind: 'pm:charges',
          },
        ],
      ]);

      // Loading them reports every file in the listing's order, the one settled first included: the loaded one
      // skipped, the others loaded or refused as before (the copy under P002 is the same content as a P001 file).
      const second = await loadInboxFiles(warehouse.connection, wh, files);
      expect(second.map((o) => [path.relative(inbox, o.filePath), o.status])).toEqual([
        ['P001/charges-a.csv', 'loaded'],
        ['P001/charges-b.csv', 'skipped'],
        ['P001/charges-c.csv', 'loaded'],
        ['P002/charges-b.csv', 'quarantined'],
      ]);
      expect(second[0]?.status === 'loaded' && second[0].fileId).not.toBe(a);
      expect(second[1]?.status === 'skipped' && second[1].fileId).toBe(b);
    } finally {
      warehouse.close();
    }
  });
});

/**
 * A daily load of an inbox that keeps its history does not read the old files again: a file's hash is remembered
 * with its device, inode, size and times (load_state.inbox_file_hashes), and answers while they stay the same.
 */
describe('remembered hashes of inbox files', () => {
  const wh = tempWarehouse('inbox-hashes');
  afterAll(() => wh.remove());
  it('answer for a file left as it was, never for a rewritten one, and only once it was left alone long enough', async () => {
    const inbox = path.join(wh.dir, 'inbox');
    mkdirSync(path.join(inbox, 'P001'), { recursive: true });
    const fileA = path.join(inbox, 'P001', 'charges-a.csv');
    const fileB = path.join(inbox, 'P001', 'charges-b.csv');
    writeFileSync(fileA, charges('125.00'));
    writeFileSync(fileB, charges('80.00'));
    // Modified a while ago, in whole seconds (so it can be put back exactly below); changed (ctime) just now.
    const longAgo = 1_700_000_000;
    utimesSync(fileA, longAgo, longAgo);
    const shaB = await sha256File(fileB);
    const warehouse = await openWarehouse(wh.database);
    const remembered = async () =>
      (
        await warehouse.connection.runAndReadAll(
          'select file_path, sha256 from load_state.inbox_file_hashes order by file_path',
        )
      ).getRows();
    try {
      const first = await loadInboxFiles(warehouse.connection, wh, listInbox(inbox));
      const [, b] = first.map((o) => (o.status === 'loaded' ? o.fileId : -1n));
      // Just written: within the default window, so nothing is remembered yet.
      expect(await remembered()).toEqual([]);

      // Left alone long enough (a window of 0 here): both are remembered with the hashes of their bytes.
      const files = listInbox(inbox);
      await alreadyLoaded(warehouse.connection, files, { settledNs: 0n });
      expect(await remembered()).toEqual([
        [fileA, await sha256File(fileA)],
        [fileB, shaB],
      ]);

      // The remembered hash answers without the file being read: given B's hash for A, A is found as B's copy.
      await warehouse.connection.run(
        `update load_state.inbox_file_hashes set sha256 = '${shaB}' where file_path = '${fileA}'`,
      );
      const told = await alreadyLoaded(warehouse.connection, files, { settledNs: 0n });
      expect(told.get(0)?.outcome).toEqual({ status: 'skipped', fileId: b, sha256: shaB });
      // Only the listed files' hashes are read: with B alone listed, A's row is not, and A is read from disk.
      const listedA = await InboxFileHashes.open(warehouse.connection, [fileA], 0n);
      expect(await listedA.hash(fileA)).toBe(shaB);
      const listedB = await InboxFileHashes.open(warehouse.connection, [fileB], 0n);
      expect(await listedB.hash(fileA)).toBe(await sha256File(fileA));

      // A rewritten to new bytes of the same length, its modification time put back: its change time moved, so it
      // is read again, found new, and its new hash remembered. (The pause: file times tick in milliseconds, and
      // the window of 0 turns off what guards against a rewrite within the same tick.)
      await new Promise((resolve) => setTimeout(resolve, 50));
      writeFileSync(fileA, charges('126.00'));
      utimesSync(fileA, longAgo, longAgo);
      expect(statSync(fileA, { bigint: true }).mtimeNs).toBe(BigInt(longAgo) * 1_000_000_000n);
      const rewritten = await alreadyLoaded(warehouse.connection, files, { settledNs: 0n });
      expect(rewritten.has(0)).toBe(false);
      expect(rewritten.get(1)?.outcome).toEqual({ status: 'skipped', fileId: b, sha256: shaB });
      expect(await remembered()).toEqual([
        [fileA, await sha256File(fileA)],
        [fileB, shaB],
      ]);
      const second = await loadInboxFiles(warehouse.connection, wh, files);
      expect(second.map((o) => o.status)).toEqual(['loaded', 'skipped']);
    } finally {
      warehouse.close();
    }
  });
});

/**
 * A file listed but not readable when its turn comes (moved away by a sync tool, its permissions changed): its
 * bytes cannot be hashed, archived or recorded, so it is reported and the other files load.
 */
describe('a file that cannot be read', () => {
  const wh = tempWarehouse('unreadable');
  afterAll(() => wh.remove());
  it('is reported unreadable with the reason, the others load, and the next load tries it again', async () => {
    const inbox = path.join(wh.dir, 'inbox');
    mkdirSync(path.join(inbox, 'P001'), { recursive: true });
    for (const [name, amount] of [
      ['charges-a.csv', '125.00'],
      ['charges-b.csv', '80.00'],
      ['charges-c.csv', '40.00'],
    ] as const)
      writeFileSync(path.join(inbox, 'P001', name), charges(amount));
    const files = listInbox(inbox);
    // Gone between the listing and the load. (Permissions would not do: the tests may run as root.)
    const gone = path.join(inbox, 'P001', 'charges-b.csv');
    rmSync(gone);
    const warehouse = await openWarehouse(wh.database);
    try {
      const first = await loadInboxFiles(warehouse.connection, wh, files);
      expect(first.map((o) => o.status)).toEqual(['loaded', 'unreadable', 'loaded']);
      const unreadable = first[1];
      expect(unreadable?.status === 'unreadable' && unreadable.message).toMatch(/^ENOENT: .*charges-b\.csv/);
      expect(summarise(first)).toContain(
        `loaded 2, already loaded 0, quarantined 0, unreadable 1\n  unreadable ${gone}: ENOENT`,
      );
      // Nothing recorded or kept for it.
      const recorded = await warehouse.connection.runAndReadAll(
        'select original_name, status from raw.files order by original_name',
      );
      expect(recorded.getRows()).toEqual([
        ['charges-a.csv', 'loaded'],
        ['charges-c.csv', 'loaded'],
      ]);

      writeFileSync(gone, charges('80.00'));
      const second = await loadInboxFiles(warehouse.connection, wh, listInbox(inbox));
      expect(second.map((o) => o.status)).toEqual(['skipped', 'loaded', 'skipped']);
    } finally {
      warehouse.close();
    }
  });
});

describe('rcm load --profile', () => {
  const wh = tempWarehouse('load-profile');
  afterAll(() => wh.remove());
  const charges =
    'claim_id,line_number,patient_id,service_date,cpt,charge_amount\nC1,1,P1,2024-01-05,99213,125.00\n';

  it('reads CSV files with the named profile, refuses an unknown name before loading anything', () => {
    const file = path.join(wh.dir, 'export-from-the-front-desk.csv');
    writeFileSync(file, charges);
    const args = (...more: string[]) => ['load', '--warehouse', wh.database, '--practice', 'P001', ...more];

    const unknown = runRcm(args('--profile', 'nosuch/charges', file));
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('no mapping profile nosuch/charges; known: ');
    expect(unknown.stderr).toContain('canonical/charges');

    // The header fits canonical/charges; forced to ledger/charges it is refused by that profile.
    const wrong = runRcm(args('--profile', 'ledger/charges', '--json', file));
    expect(wrong.code).toBe(3); // quarantined
    const [refused] = JSON.parse(wrong.stdout) as { kind: string; status: string; message: string }[];
    expect(refused?.kind).toBe('pm:charges');
    expect(refused?.status).toBe('quarantined');
    expect(refused?.message).toContain('ledger/charges');

    const right = runRcm(args('--profile', 'canonical/charges', '--json', file));
    expect(right.code, right.stderr).toBe(0);
    const [loaded] = JSON.parse(right.stdout) as { kind: string; status: string }[];
    expect(loaded).toMatchObject({ kind: 'pm:charges', status: 'loaded' });

    const inbox = runRcm(['load', '--warehouse', wh.database, '--profile', 'canonical/charges', wh.dir]);
    expect(inbox.code).not.toBe(0);
    expect(inbox.stderr).toContain('use it with --practice ID FILE');
  });
});

describe('detectKind', () => {
  const wh = tempWarehouse('detect-kind');
  afterAll(() => wh.remove());
  const write = (name: string, text: string) => {
    const file = path.join(wh.dir, name);
    writeFileSync(file, text);
    return file;
  };

  it('takes a CSV whose first header starts with ST for a CSV, and a bare ST file with any separator for X12', () => {
    const patients = write(
      'patients.csv',
      'ST,PAT_ID,PAT_FNAME,PAT_LNAME,PAT_DOB,PAT_SEX,ADDR1,CITY,ZIP,PHONE,INS_CODE,PLAN_CODE,MEMBER_NO,REG_DT\n' +
        'NY,P1,ANN,LEE,19800203,F,1 MAIN ST,ALBANY,12207,5185550100,AET,PPO,M1,20240101\n',
    );
    expect(detectKind(patients)).toBe('pm:patients');
    expect(detectKind(write('bare.835', 'ST|835|0001~BPR|I|10.00|C|CHK~SE|3|0001~'))).toBe('835');
    expect(detectKind(write('bare.999', 'ST*999*0001*005010X231A1~AK1*HC*1~SE*3*0001~'))).toBe('999');
    expect(detectKind(write('notes.txt', 'STAFF MEETING NOTES'))).toBe('unknown');
  });
});

/**
 * Many files commit together (one write-ahead-log flush per batch). A rejected file undoes its batch, so the
 * files before it are loaded again and it is quarantined on its own: the warehouse must end exactly as when every
 * file commits alone, in the same load order.
 */
describe('loading in batches', () => {
  const batched = tempWarehouse('batched');
  const single = tempWarehouse('single');
  afterAll(() => {
    batched.remove();
    single.remove();
  });

  it('ends as file-by-file loading, with bad files quarantined wherever they fall in a batch', async () => {
    const inbox = path.join(batched.dir, 'inbox');
    generatedInbox(inbox, { practices: 1, providers: 1, months: 1 });
    // Bad files first, in the middle and last of the listing (names sort them there), and one bad file twice.
    const p001 = path.join(inbox, 'P001');
    writeFileSync(path.join(p001, '000-first.835'), 'ISA*00*          *00*    ');
    writeFileSync(path.join(p001, 'm-middle.txt'), 'not an export');
    writeFileSync(path.join(p001, 'zzz-last.txt'), 'not an export either');
    copyFileSync(path.join(p001, 'm-middle.txt'), path.join(p001, 'm-middle-again.txt'));
    const files = listInbox(inbox);
    expect(files.length).toBeGreaterThan(50);

    const load = async (paths: typeof batched, batch: { files: number; bytes: number }) => {
      const warehouse = await openWarehouse(paths.database);
      try {
        const outcomes = await loadInboxFiles(warehouse.connection, paths, files, { batch });
        const print = await fingerprint(warehouse.connection);
        // Load order is file-id order: PM snapshots take the latest export by file id.
        const order = (
          await warehouse.connection.runAndReadAll(
            "select sha256 from raw.files where status = 'loaded' order by file_id",
          )
        )
          .getRows()
          .map((r) => String(r[0]));
        return { outcomes, print, order };
      } finally {
        warehouse.close();
      }
    };
    const inBatches = await load(batched, { files: 7, bytes: 1024 * 1024 * 1024 });
    const oneByOne = await load(single, { files: 1, bytes: 0 });

    const statuses = (o: typeof inBatches) => o.outcomes.map((x) => [path.basename(x.filePath), x.status]);
    expect(statuses(inBatches)).toEqual(statuses(oneByOne));
    expect(
      inBatches.outcomes.filter((o) => o.status === 'quarantined').map((o) => path.basename(o.filePath)),
    ).toEqual(['000-first.835', 'm-middle-again.txt', 'm-middle.txt', 'zzz-last.txt']);
    expect(inBatches.print).toEqual(oneByOne.print);
    expect(inBatches.print.orphanRows).toBe(0);
    expect(inBatches.order).toEqual(oneByOne.order);
  });
});

/**
 * The CSV exports of a batch that share a profile and a header are staged by one query (its planning costs more
 * than a small export's rows). Each file must still load, or be refused, exactly as when it is staged alone.
 */
describe('CSV exports staged together', () => {
  const together = tempWarehouse('csv-together');
  const alone = tempWarehouse('csv-alone');
  afterAll(() => {
    together.remove();
    alone.remove();
  });

  it('load the same rows, lines and warnings, and refuse the same files, as files staged one by one', async () => {
    const folder = path.join(together.dir, 'inbox', 'P001', 'pm');
    mkdirSync(folder, { recursive: true });
    const header = 'claim_id,line_number,patient_id,service_date,cpt,charge_amount';
    const write = (name: string, lines: string[]) =>
      writeFileSync(path.join(folder, name), `${lines.join('\n')}\n`);
    write('a-charges.csv', [header, 'C1,1,P1,2024-01-05,99213,125.00', 'C1,2,P1,2024-01-05,36415,7.00']);
    // A blank line and a quoted line break: lines no longer follow records one to one.
    write('b-charges.csv', [
      header,
      'C2,1,P2,2024-02-01,99214,180.00',
      '',
      '"C3\nX",1,P3,2024-02-02,99213,95.50',
    ]);
    // A value that does not convert, on the third data line.
    write('c-charges.csv', [
      header,
      'C4,1,P4,2024-03-01,99213,10.00',
      'C4,2,P4,2024-03-01,36415,7.00',
      'C5,1,P5,2024-03-02,99213,12.3.4',
    ]);
    write('d-charges.csv', [header]);
    // A record the CSV reader rejects (a field too many).
    write('e-charges.csv', [
      header,
      'C6,1,P6,2024-05-01,99213,50.00',
      'C7,1,P7,2024-05-02,99213,50.00,extra',
    ]);
    // Another column order: a group of its own.
    const reordered = 'patient_id,claim_id,line_number,service_date,cpt,charge_amount';
    write('f-charges.csv', [reordered, 'P8,C8,1,2024-06-01,99213,60.00']);
    write('g-charges.csv', [reordered, 'P9,C9,1,2024-07-01,99213,61.00', 'P9,C9,1,2024-07-01,99214,62.00']);
    // A missing required value in a file of the second group.
    write('h-charges.csv', [reordered, 'P10,,1,2024-08-01,99213,63.00']);
    const files = listInbox(path.join(together.dir, 'inbox'));
    expect(files).toHaveLength(8);

    const load = async (paths: typeof together, batch: { files: number; bytes: number }) => {
      const warehouse = await openWarehouse(paths.database);
      const statements: string[] = [];
      const run = warehouse.connection.run.bind(warehouse.connection);
      warehouse.connection.run = (sql, ...rest) => {
        statements.push(sql);
        return run(sql, ...rest);
      };
      try {
        const outcomes = (await loadInboxFiles(warehouse.connection, paths, files, { batch })).map((o) => [
          path.basename(o.filePath),
          o.status,
          o.status === 'quarantined' ? `${o.location}: ${o.message}` : null,
          o.status === 'loaded' ? o.warnings : null,
        ]);
        const rows = async (table: string, columns: string) =>
          (
            await warehouse.connection.runAndReadAll(
              `select f.original_name, ${columns} from raw.${table} as t join raw.files as f using (file_id)
                order by all`,
            )
          ).getRows();
        return {
          outcomes,
          charges: await rows('pm_charges', 't.line_no, t.claim_id, t.line_number, t.charge_amount::varchar'),
          exports: await rows('pm_exports', 't.entity, t.profile, t.row_count, t.skipped_rows'),
          warnings: await rows('file_warnings', 't.location, t.code, t.message'),
          stagedTogether: statements.filter((sql) => /create temp table pm_batch_stage_\d+ as/.test(sql))
            .length,
        };
      } finally {
        warehouse.close();
      }
    };
    const batched = await load(together, { files: 100, bytes: 1024 * 1024 * 1024 });
    const single = await load(alone, { files: 1, bytes: 0 });

    // Two groups of headers; after each refused file the rest of the inbox is a new batch, staged again.
    expect(batched.stagedTogether).toBeGreaterThanOrEqual(2);
    expect(single.stagedTogether).toBe(0);
    expect(batched.outcomes).toEqual(single.outcomes);
    expect(batched.charges).toEqual(single.charges);
    expect(batched.exports).toEqual(single.exports);
    expect(batched.warnings).toEqual(single.warnings);
    expect(batched.outcomes.map(([name, status]) => `${name} ${status}`)).toEqual([
      'a-charges.csv loaded',
      'b-charges.csv loaded',
      'c-charges.csv quarantined',
      'd-charges.csv loaded',
      'e-charges.csv quarantined',
      'f-charges.csv loaded',
      'g-charges.csv loaded',
      'h-charges.csv quarantined',
    ]);
    expect(batched.outcomes[2]?.[2]).toBe(
      'line 4, column "charge_amount": expected an amount like 1234.56 (negative: -12.00), at most 2 decimals, found "12.3.4"',
    );
    // The quoted line break: C3's record starts on line 4 (after the blank line 3).
    expect(
      batched.charges.filter((row) => row[0] === 'b-charges.csv').map((row) => [row[1], row[2]]),
    ).toEqual([
      [2n, 'C2'],
      [4n, 'C3\nX'],
    ]);
  });
});
