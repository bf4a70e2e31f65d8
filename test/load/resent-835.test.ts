import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { loadX12 } from '../../etl/load/x12-loader.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { BatchFileRejected, loadFilesInTransaction } from '../../etl/warehouse/load-file.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

// One payment of $945.00, trace 7170066655 from payer 1935665544, its ST at segment 3, byte 161 (a public
// sample; its license is LICENSE.upstream beside it).
const original = readFileSync(
  path.join(import.meta.dirname, '../fixtures/x12/corpus/linuxforhealth/managed-care.835'),
  'utf8',
);
const withIsa13 = (text: string, isa13: string) =>
  text.replace('*000000907*1*T*', `*${isa13}*1*T*`).replace('IEA*1*000000907~', `IEA*1*${isa13}~`);
/** The same remittance delivered again: another interchange number and date, every payment segment alike. */
const redelivered = withIsa13(original, '000000908').replace('*131031*1147*', '*131101*0815*');
/** A non-payment 835 (BPR02 = 0) repeating the trace, as some payers do. */
const nonPayment = withIsa13(original, '000000909').replace('BPR*I*945.00*', 'BPR*H*0*');
/** Another payer's payment that happens to carry the same trace number. */
const otherPayer = withIsa13(original, '000000910').replace(
  'TRN*1*7170066655*1935665544~',
  'TRN*1*7170066655*1999999999~',
);

describe('an 835 whose payment trace is already loaded', () => {
  const wh = tempWarehouse('resent-835');
  const inbox = path.join(wh.dir, 'inbox');
  let warehouse: Warehouse;
  const put = (practice: string, name: string, text: string) => {
    mkdirSync(path.join(inbox, practice, 'era'), { recursive: true });
    writeFileSync(path.join(inbox, practice, 'era', name), text);
  };
  const paidByPractice = async () =>
    (
      await warehouse.connection.runAndReadAll(
        `select practice_id, count(*)::int, sum(total_paid)::varchar
         from raw.era_remittances group by practice_id order by practice_id`,
      )
    ).getRows();

  beforeAll(async () => {
    warehouse = await openWarehouse(wh.database);
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
  });

  it('is refused when it moves money, naming the file that holds the trace; the money counts once', async () => {
    put('P001', 'a-original.835', original);
    put('P001', 'b-redelivered.835', redelivered);
    // Another practice (another payee) may hold the same trace.
    put('P002', 'a-original.835', withIsa13(original, '000000913'));
    const outcomes = await loadInboxFiles(warehouse.connection, wh, listInbox(inbox));
    expect(outcomes.map((o) => [path.basename(o.filePath), o.status])).toEqual([
      ['a-original.835', 'loaded'],
      ['b-redelivered.835', 'quarantined'],
      ['a-original.835', 'loaded'],
    ]);
    const refused = outcomes[1];
    expect(refused?.status === 'quarantined' && refused.location).toBe('segment 3 (byte 161)');
    expect(refused?.status === 'quarantined' && refused.message).toBe(
      'expected a payment trace (TRN02) not already loaded for this practice: a payer sends each payment once, and ' +
        'a corrected remittance carries a new trace, found transaction set 112233 paying $945.00 with trace ' +
        '7170066655 of payer 1935665544, which a-original.835, segment 3 already holds',
    );
    expect(await paidByPractice()).toEqual([
      ['P001', 1, '945.00'],
      ['P002', 1, '945.00'],
    ]);
    // Loading the inbox again changes nothing: the quarantined file fails the same way and adds nothing.
    await loadInboxFiles(warehouse.connection, wh, listInbox(inbox));
    expect(await paidByPractice()).toEqual([
      ['P001', 1, '945.00'],
      ['P002', 1, '945.00'],
    ]);
  });

  it('is refused within one batch too, before either file is committed', async () => {
    const dir = path.join(wh.dir, 'batch');
    mkdirSync(dir, { recursive: true });
    const files = ['one.835', 'two.835'].map((name, i) => {
      const filePath = path.join(dir, name);
      writeFileSync(filePath, withIsa13(original, i === 0 ? '000000911' : '000000912'));
      return { request: { filePath, practiceId: 'P003', kind: '835' }, loader: loadX12 };
    });
    await warehouse.connection.run('begin transaction');
    const attempt = loadFilesInTransaction(warehouse.connection, wh, files);
    await expect(attempt).rejects.toBeInstanceOf(BatchFileRejected);
    await expect(attempt).rejects.toMatchObject({ index: 1 });
    await warehouse.connection.run('rollback');
  });

  it('loads with a warning when it is a non-payment 835, and loads when another payer used the number', async () => {
    put('P001', 'c-non-payment.835', nonPayment);
    put('P001', 'd-other-payer.835', otherPayer);
    const outcomes = await loadInboxFiles(
      warehouse.connection,
      wh,
      listInbox(inbox).filter((f) => /[cd]-/.test(path.basename(f.filePath))),
    );
    expect(outcomes.map((o) => [path.basename(o.filePath), o.status])).toEqual([
      ['c-non-payment.835', 'loaded'],
      ['d-other-payer.835', 'loaded'],
    ]);
    const warnings = (
      await warehouse.connection.runAndReadAll(
        `select f.original_name, w.code, w.message
         from raw.file_warnings as w join raw.files as f using (file_id)
         where w.code = 'x12.835.trace_reused'`,
      )
    ).getRows();
    expect(warnings).toEqual([
      [
        'c-non-payment.835',
        'x12.835.trace_reused',
        'non-payment 835 (BPR02 = 0) repeats trace 7170066655 of payer 1935665544, which a-original.835, ' +
          'segment 3 already holds; loaded, as it moves no money (if it is the same remittance again, its claims ' +
          'count twice)',
      ],
    ]);
    expect(await paidByPractice()).toEqual([
      ['P001', 3, '1890.00'],
      ['P002', 1, '945.00'],
    ]);
  });
});
