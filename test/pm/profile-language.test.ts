import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { detectKind } from '../../etl/load/detect-kind.ts';
import { type Profile, ProfileError, resolveProfileFile } from '../../etl/pm/profile.ts';
import { type PmTestWarehouse, pmWarehouse, quarantine } from './helpers.ts';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;
const profile = (file: Record<string, unknown>): Profile[] =>
  resolveProfileFile({ name: 'test', ...file }, 'test.yaml');

/** A billing table where diagnosis and procedure rows sit together and deleted rows carry activity 0. */
const billingProfile = profile({
  format: { dates: ['YYYY-MM-DD'] },
  entities: {
    charges: {
      columns: {
        encounter: 'claim_id',
        line: 'line_number',
        pid: 'patient_id',
        date: 'service_date',
        code: 'cpt',
        fee: 'charge_amount',
        code_type: 'ignore',
        activity: 'ignore',
      },
      rows: {
        keep: [{ column: 'code_type', in: ['CPT4', 'HCPCS'], reason: 'not a procedure (diagnosis rows)' }],
        drop: [{ column: 'activity', in: [0], reason: 'deleted (activity = 0)' }],
      },
    },
  },
});

describe('profile language: rows, signs, coded values, composite keys, empty periods', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-language');
  });
  afterAll(() => wh.close());

  it('keeps and drops rows by column value, counting each reason and the totals before and after', async () => {
    const outcome = await wh.load(
      'billing.csv',
      lines(
        'encounter,line,pid,date,code_type,code,fee,activity',
        'E1,1,P1,2024-03-04,ICD10,E11.9,,1',
        'E1,2,P1,2024-03-04,CPT4,99213,120.00,1',
        'E1,3,P1,2024-03-04,CPT4,36415,15.50,0',
        'E2,1,P2,2024-03-05,HCPCS,G0439,175.25,1',
        'E2,2,P2,2024-03-05,ICD10,Z00.00,,1',
        'E2,3,P2,2024-03-05,cpt4,81002,9.75,1',
      ),
      { profiles: billingProfile },
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    // Kept: lines 3, 5 and 7 (120.00 + 175.25 + 9.75 = 305.00); all rows: 320.50 (15.50 deleted).
    expect(outcome.rowCount).toBe(3);
    expect(outcome.warnings).toEqual([
      {
        location: 'file',
        code: 'filtered_rows',
        message: '2 rows left out by rows.keep: not a procedure (diagnosis rows)',
      },
      {
        location: 'file',
        code: 'filtered_rows',
        message: '1 row left out by rows.drop: deleted (activity = 0)',
      },
      {
        location: 'file',
        code: 'row_totals',
        message:
          '6 data rows before filtering, 3 loaded; charge_amount 320.50 before filtering, 305.00 loaded',
      },
    ]);
    expect(
      await wh.rows(
        "select line_no, claim_id, cpt, charge_amount from raw.pm_charges where claim_id in ('E1', 'E2') order by 1",
      ),
    ).toEqual([
      { line_no: '3', claim_id: 'E1', cpt: '99213', charge_amount: '120.00' },
      { line_no: '5', claim_id: 'E2', cpt: 'G0439', charge_amount: '175.25' },
      { line_no: '7', claim_id: 'E2', cpt: '81002', charge_amount: '9.75' },
    ]);
    expect(
      await wh.rows(
        `select code, message from raw.file_warnings where file_id = ${outcome.fileId} order by message`,
      ),
    ).toHaveLength(3);
    expect(
      await wh.rows(`select row_count, skipped_rows from raw.pm_exports where file_id = ${outcome.fileId}`),
    ).toEqual([{ row_count: '3', skipped_rows: '3' }]);
  });

  it('stores the payments and adjustments of a signed ledger positive (negate)', async () => {
    const ledger = profile({
      entities: {
        payments: {
          columns: { Txn: 'payment_id', Posted: 'posted_date', Amount: 'amount', Patient: 'patient_id' },
          negate: ['amount'],
        },
      },
    });
    const outcome = await wh.load(
      'signed.csv',
      lines('Txn,Posted,Patient,Amount', 'T1,2024-03-01,P1,-10293.60', 'T2,2024-03-02,P2,25.00'),
      { profiles: ledger },
    );
    expect(outcome.status).toBe('loaded');
    expect(
      await wh.rows("select payment_id, amount from raw.pm_payments where payment_id like 'T%' order by 1"),
    ).toEqual([
      { payment_id: 'T1', amount: '10293.60' },
      // A refund written positive in the ledger is a negative payment in the canonical model.
      { payment_id: 'T2', amount: '-25.00' },
    ]);
  });

  it('maps coded values and composes a key from several columns; an unlisted code is refused at its line', async () => {
    const payers = profile({
      entities: {
        payers: {
          columns: {
            ins_id: 'payer_id',
            name: 'payer_name',
            type: { field: 'payer_type', values: { 0: 'commercial', 1: 'Medicare' } },
          },
        },
        payments: {
          columns: { pid: 'patient_id', encounter: 'claim_id', posted: 'posted_date', amount: 'amount' },
          compose: { payment_id: { columns: ['pid', 'encounter', 'seq'], separator: ':' } },
        },
      },
    });
    const loaded = await wh.load('payers.csv', lines('ins_id,name,type', 'A1,Acme,0', 'M1,Medicare B, 1 '), {
      profiles: payers,
    });
    expect(loaded.status).toBe('loaded');
    expect(
      await wh.rows(
        "select payer_id, payer_type from raw.pm_payers where payer_id in ('A1', 'M1') order by 1",
      ),
    ).toEqual([
      { payer_id: 'A1', payer_type: 'commercial' },
      { payer_id: 'M1', payer_type: 'Medicare' },
    ]);
    const refused = await wh.load('payers-bad.csv', lines('ins_id,name,type', 'A2,Acme,0', 'X1,Other,7'), {
      profiles: payers,
    });
    expect(quarantine(refused)).toEqual({
      location: 'line 3, column "type"',
      expected: 'one of the coded values 0, 1',
      found: '"7"',
    });

    const payments = await wh.load(
      'activity.csv',
      lines('pid,encounter,seq,posted,amount', '7,E9,1,2024-03-03,40.00', '7,E9,2,2024-03-03,5.00'),
      { profiles: payers },
    );
    expect(payments.status).toBe('loaded');
    expect(
      await wh.rows(
        "select payment_id, claim_id, amount from raw.pm_payments where claim_id = 'E9' order by 1",
      ),
    ).toEqual([
      { payment_id: '7:E9:1', claim_id: 'E9', amount: '40.00' },
      { payment_id: '7:E9:2', claim_id: 'E9', amount: '5.00' },
    ]);
    const missingPart = await wh.load(
      'activity-bad.csv',
      lines('pid,encounter,seq,posted,amount', '7,E9,,2024-03-04,40.00'),
      { profiles: payers },
    );
    expect(quarantine(missingPart)).toEqual({
      location: 'line 2, column "pid+encounter+seq"',
      expected: 'a payment_id (required)',
      found: 'an empty value',
    });
  });

  it('loads a header-only export as an empty period, records its range and says what it removes', async () => {
    const monthly = profile({
      snapshot: { period_from_file_name: '_(?<year>\\d{4})-(?<month>\\d{2})\\.csv$' },
      entities: { adjustments: { columns: 'canonical' } },
    });
    const header = 'adjustment_id,claim_id,amount,posted_date';
    await wh.load(
      'adjustments_2024-04.csv',
      lines(header, 'J1,C1,10.00,2024-04-02', 'J2,C1,2.00,2024-04-30', 'J3,C2,1.00,2024-05-01'),
      { profiles: monthly },
    );
    const empty = await wh.load('adjustments_2024-04-rerun_2024-04.csv', lines(header), {
      profiles: monthly,
    });
    expect(empty.status).toBe('loaded');
    if (empty.status !== 'loaded') return;
    expect(empty.rowCount).toBe(0);
    // J1 and J2 fall in April; J3 (1 May) does not.
    expect(empty.warnings).toEqual([
      {
        location: 'line 2',
        code: 'empty_period',
        message:
          'no data rows: loaded as an empty adjustments export for 2024-04-01 to 2024-04-30; it removes 2 earlier rows from the current state',
      },
    ]);
    expect(
      await wh.rows(
        `select coverage_from, coverage_to, coverage_source, row_count from raw.pm_exports where file_id = ${empty.fileId}`,
      ),
    ).toEqual([
      {
        coverage_from: '2024-04-01',
        coverage_to: '2024-04-30',
        coverage_source: 'file_name',
        row_count: '0',
      },
    ]);
  });

  it('records an incremental batch as such; empty, it removes nothing', async () => {
    const batches = profile({
      snapshot: { period_from_file_name: '_(?<year>\\d{4})-(?<month>\\d{2})\\.csv$', mode: 'incremental' },
      entities: { adjustments: { columns: 'canonical' } },
    });
    const header = 'adjustment_id,claim_id,amount,posted_date';
    const batch = await wh.load('batch_2024-06.csv', lines(header, 'K1,C1,3.00,2024-06-02'), {
      profiles: batches,
    });
    const empty = await wh.load('batch-2_2024-06.csv', lines('posted_date,amount,claim_id,adjustment_id'), {
      profiles: batches,
    });
    expect(empty).toMatchObject({
      status: 'loaded',
      warnings: [
        {
          location: 'line 2',
          code: 'empty_period',
          message:
            'no data rows: loaded as an empty adjustments batch (snapshot mode incremental): it removes nothing',
        },
      ],
    });
    expect(
      await wh.rows(
        `select file_id, snapshot_mode from raw.pm_exports where file_id in (${batch.fileId}, ${empty.fileId}) order by 1`,
      ),
    ).toEqual([
      { file_id: String(batch.fileId), snapshot_mode: 'incremental' },
      { file_id: String(empty.fileId), snapshot_mode: 'incremental' },
    ]);
  });

  it('reads skip_rows under an entity, and ignores unknown columns when the profile says so', async () => {
    const deposits = profile({
      unknown_columns: 'ignore',
      entities: {
        deposits: {
          columns: { Id: 'transaction_id', Date: 'posting_date', Amount: 'amount' },
          skip_rows: [{ pattern: '^end of report$' }],
        },
      },
    });
    const outcome = await wh.load(
      'bank.csv',
      lines(
        'Id,Date,Amount,Memo,Branch,Teller,Channel',
        'B1,2024-03-01,100.00,x,1,2,web',
        'End of report,,,,,,',
      ),
      { profiles: deposits },
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    expect(outcome.rowCount).toBe(1);
    expect(outcome.warnings).toEqual([
      {
        location: 'file',
        code: 'skipped_rows',
        message: '1 row left out by skip_rows: the first column matching /^end of report$/',
      },
    ]);
  });

  it('forces a named profile on a file with more unknown columns than known ones', async () => {
    const narrow = profile({
      entities: { deposits: { columns: { Id: 'transaction_id', Date: 'posting_date', Amount: 'amount' } } },
    });
    const outcome = await wh.load(
      'wide-bank.csv',
      lines('Id,Date,Amount,A,B,C,D', 'W1,2024-03-01,7.00,,,,'),
      { profiles: narrow, profile: 'test/deposits' },
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    expect(outcome.warnings.map((warning) => warning.code)).toEqual([
      'unknown_column',
      'unknown_column',
      'unknown_column',
      'unknown_column',
    ]);
    // Without --profile the same header is refused: the profile knows 3 of its 7 columns.
    const detected = await wh.load(
      'wide-bank-2.csv',
      lines('Id,Date,Amount,A,B,C,D', 'W2,2024-03-01,7.00,,,,'),
      {
        profiles: narrow,
      },
    );
    expect(detected.status).toBe('quarantined');
  });

  it('reads a blank CRLF line at the end of an LF file as a blank line', async () => {
    const outcome = await wh.load(
      'trailing-crlf.csv',
      'claim_id,line_number,patient_id,service_date,cpt,charge_amount\nZ1,1,P1,2024-01-05,99213,10.00\n\r\n',
    );
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 1 });
    expect(await wh.rows("select line_no from raw.pm_charges where claim_id = 'Z1'")).toEqual([
      { line_no: '2' },
    ]);
  });

  it('gives an empty file the kind of a CSV input, so it is refused with the message docs/inputs.md shows', () => {
    const file = path.join(wh.dir, 'empty.csv');
    writeFileSync(file, '');
    expect(detectKind(file)).toBe('csv');
  });
});

describe('profile validation names the key, the file and what was expected', () => {
  const invalid = (file: Record<string, unknown>) => {
    try {
      profile(file);
    } catch (error) {
      expect(error).toBeInstanceOf(ProfileError);
      return (error as Error).message;
    }
    throw new Error('expected the profile to be refused');
  };

  it('an unknown key in a row rule', () => {
    expect(
      invalid({
        entities: { charges: { columns: 'canonical', rows: { drop: [{ colum: 'x', in: ['1'] }] } } },
      }),
    ).toBe(
      'profile test.yaml is invalid: entities.charges.rows.drop.0.column: Invalid input: expected string, received undefined; entities.charges.rows.drop.0: unknown key "colum" (expected one of: column, in, pattern, reason)',
    );
  });

  it('a wrong type and a rule with neither in nor pattern', () => {
    expect(invalid({ entities: { charges: { columns: 'canonical', negate: 'amount' } } })).toBe(
      'profile test.yaml is invalid: entities.charges.negate: Invalid input: expected array, received string',
    );
    expect(
      invalid({ entities: { charges: { columns: 'canonical', rows: { keep: [{ column: 'x' }] } } } }),
    ).toBe(
      'profile test.yaml is invalid: entities.charges.rows.keep.0: expected exactly one of in: [values] or pattern: a regular expression',
    );
  });

  it('an unknown key in a column mapping', () => {
    expect(
      invalid({ entities: { payers: { columns: { Id: { field: 'payer_id', value: { 0: 'x' } } } } } }),
    ).toBe(
      'profile test.yaml is invalid: entities.payers.columns.Id: unknown key "value" (expected one of: field, optional, values, others, split, separator)',
    );
  });

  it('a sign rule on a field that is no amount', () => {
    expect(() =>
      profile({ entities: { payments: { columns: 'canonical', negate: ['posted_date'] } } }),
    ).toThrow('profile test.yaml, test/payments: negate posted_date: only amounts change sign');
  });
});
