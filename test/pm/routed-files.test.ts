import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileFile } from '../../etl/pm/profile.ts';
import { type PmTestWarehouse, pmWarehouse, quarantine } from './helpers.ts';

const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

/** A signed transaction ledger: one file, its Type column saying charge, payment or adjustment. */
const ledger = (others?: 'drop') =>
  resolveProfileFile(
    {
      name: 'txledger',
      route: {
        column: 'Type',
        entities: { charges: ['CHG'], payments: ['PMT'], adjustments: ['ADJ'] },
        others,
      },
      entities: {
        charges: {
          columns: {
            Claim: 'claim_id',
            Line: 'line_number',
            Patient: 'patient_id',
            Date: 'service_date',
            Code: 'cpt',
            Amount: 'charge_amount',
          },
        },
        payments: {
          columns: {
            Ref: 'payment_id',
            Claim: 'claim_id',
            Patient: 'patient_id',
            Date: 'posted_date',
            Amount: 'amount',
          },
          negate: ['amount'],
        },
        adjustments: {
          columns: { Ref: 'adjustment_id', Claim: 'claim_id', Date: 'posted_date', Amount: 'amount' },
          negate: ['amount'],
        },
      },
    },
    'txledger.yaml',
  );

const HEADER = 'Date,Type,Ref,Patient,Claim,Line,Code,Amount';
const MAY = [
  HEADER,
  '2024-05-02,CHG,L1,P1,C1,1,99213,150.00',
  '2024-05-02,CHG,L2,P1,C1,2,36415,20.00',
  '2024-05-20,PMT,L3,P1,C1,,,-120.00',
  '2024-05-20,ADJ,L4,P1,C1,,,-30.00',
  '2024-05-21,pmt,L5,P2,C2,,,-15.00',
  '2024-05-28,PMT,L6,P2,C2,,,15.00',
];

describe('one file, several entities (route)', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-routed');
  });
  afterAll(() => wh.close());

  it('is detected without a tie and loaded once, each row into its entity with the sign the model expects', async () => {
    const outcome = await wh.load('ledger-may.csv', lines(...MAY), { profiles: ledger() });
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 6, warnings: [] });
    expect(
      await wh.rows('select line_no, claim_id, line_number, charge_amount from raw.pm_charges order by 1'),
    ).toEqual([
      { line_no: '2', claim_id: 'C1', line_number: '1', charge_amount: '150.00' },
      { line_no: '3', claim_id: 'C1', line_number: '2', charge_amount: '20.00' },
    ]);
    // Payments 120.00 + 15.00, and L6, a refund written positive in the ledger: -15.00.
    expect(await wh.rows('select line_no, payment_id, amount from raw.pm_payments order by 1')).toEqual([
      { line_no: '4', payment_id: 'L3', amount: '120.00' },
      { line_no: '6', payment_id: 'L5', amount: '15.00' },
      { line_no: '7', payment_id: 'L6', amount: '-15.00' },
    ]);
    expect(await wh.rows('select line_no, adjustment_id, amount from raw.pm_adjustments')).toEqual([
      { line_no: '5', adjustment_id: 'L4', amount: '30.00' },
    ]);
    expect(
      await wh.rows(
        'select entity, profile, coverage_from, coverage_to, row_count, skipped_rows from raw.pm_exports order by entity',
      ),
    ).toEqual([
      {
        entity: 'adjustments',
        profile: 'txledger/adjustments',
        coverage_from: '2024-05-20',
        coverage_to: '2024-05-20',
        row_count: '1',
        skipped_rows: '0',
      },
      {
        entity: 'charges',
        profile: 'txledger/charges',
        coverage_from: '2024-05-02',
        coverage_to: '2024-05-02',
        row_count: '2',
        skipped_rows: '0',
      },
      {
        entity: 'payments',
        profile: 'txledger/payments',
        coverage_from: '2024-05-20',
        coverage_to: '2024-05-28',
        row_count: '3',
        skipped_rows: '0',
      },
    ]);
    // One file, one load: one registry row.
    expect(await wh.rows("select count(*) as files from raw.files where status = 'loaded'")).toEqual([
      { files: '1' },
    ]);
    const again = await wh.load('ledger-may-copy.csv', lines(...MAY), { profiles: ledger() });
    expect(again.status).toBe('skipped');
  });

  it('refuses a type routed to no entity at its line and column, loading nothing of the file', async () => {
    const before = await wh.state();
    const outcome = await wh.load(
      'ledger-june.csv',
      lines(HEADER, '2024-06-02,CHG,M1,P1,C7,1,99213,80.00', '2024-06-03,XFR,M2,P1,C7,,,-80.00'),
      { profiles: ledger() },
    );
    expect(quarantine(outcome)).toEqual({
      location: 'line 3, column "Type"',
      expected: 'a value routed to an entity: CHG (charges), PMT (payments), ADJ (adjustments)',
      found: '"XFR"',
    });
    expect(await wh.state()).toBe(before);
  });

  it('with others: drop, leaves such rows out and counts them', async () => {
    const outcome = await wh.load(
      'ledger-july.csv',
      lines(HEADER, '2024-07-02,CHG,N1,P1,C8,1,99213,80.00', '2024-07-03,XFR,N2,P1,C8,,,-80.00'),
      { profiles: ledger('drop') },
    );
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 1 });
    if (outcome.status !== 'loaded') return;
    expect(outcome.warnings.filter((warning) => warning.code === 'filtered_rows')).toEqual([
      {
        location: 'file',
        code: 'filtered_rows',
        message: 'charges: 1 row left out by rows.keep: Type routed to no entity',
      },
    ]);
    // recorded once, at its line, under the file's leading entity
    expect(
      await wh.rows(
        `select line_no, entity, rule, reason from raw.pm_left_out_rows
         where file_id = (select max(file_id) from raw.files)`,
      ),
    ).toEqual([{ line_no: '3', entity: 'charges', rule: 'route', reason: 'Type routed to no entity' }]);
  });
});
