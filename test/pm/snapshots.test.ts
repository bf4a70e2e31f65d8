import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileFile } from '../../etl/pm/profile.ts';
import { pmCurrentSql } from '../helpers/pm-current.ts';
import { type PmTestWarehouse, pmWarehouse } from './helpers.ts';

const CHARGES = 'claim_id,line_number,patient_id,service_date,cpt,charge_amount';
const csv = (...rows: string[]) => `${[CHARGES, ...rows].join('\n')}\n`;

// What the loader writes, read through the snapshot rules the staging models apply (macros/pm_snapshot.sql).
describe('snapshot semantics of overlapping exports', () => {
  let wh: PmTestWarehouse;
  let sql: Record<string, string>;
  const current = async (practice = 'P001') =>
    wh.rows(
      `select claim_id, service_date, charge_amount, file_id from (${sql.pm_charges}) as current_rows where practice_id = '${practice}' order by claim_id`,
    );

  beforeAll(async () => {
    sql = pmCurrentSql(['pm_charges', 'pm_patients']);
    wh = await pmWarehouse('pm-snapshots');
  });
  afterAll(() => wh.close());

  it('a later export of the same month replaces it: corrected rows win, new rows appear, missing rows are deleted', async () => {
    const january = await wh.load(
      'first/charges_2024-01.csv',
      csv(
        'C1,1,P1,2024-01-05,99213,100.00',
        'C2,1,P1,2024-01-10,99213,200.00',
        'C3,1,P1,2024-01-31,99214,300.00',
      ),
    );
    const february = await wh.load('first/charges_2024-02.csv', csv('C4,1,P1,2024-02-02,99213,400.00'));
    const rerun = await wh.load(
      'rerun/charges_2024-01.csv',
      csv(
        'C1,1,P1,2024-01-05,99213,150.00',
        'C3,1,P1,2024-01-31,99214,300.00',
        'C5,1,P1,2024-01-20,99213,500.00',
        'C6,1,P1,2024-01-15,99212,60.00',
      ),
    );
    expect([january.status, february.status, rerun.status]).toEqual(['loaded', 'loaded', 'loaded']);
    expect(
      await wh.rows(
        'select file_id, coverage_field, coverage_from, coverage_to, coverage_source from raw.pm_exports order by 1',
      ),
    ).toEqual([
      {
        file_id: String(january.fileId),
        coverage_field: 'service_date',
        coverage_from: '2024-01-01',
        coverage_to: '2024-01-31',
        coverage_source: 'file_name',
      },
      {
        file_id: String(february.fileId),
        coverage_field: 'service_date',
        coverage_from: '2024-02-01',
        coverage_to: '2024-02-29',
        coverage_source: 'file_name',
      },
      {
        file_id: String(rerun.fileId),
        coverage_field: 'service_date',
        coverage_from: '2024-01-01',
        coverage_to: '2024-01-31',
        coverage_source: 'file_name',
      },
    ]);
    const r = String(rerun.fileId);
    expect(await current()).toEqual([
      { claim_id: 'C1', service_date: '2024-01-05', charge_amount: '150.00', file_id: r },
      { claim_id: 'C3', service_date: '2024-01-31', charge_amount: '300.00', file_id: r },
      {
        claim_id: 'C4',
        service_date: '2024-02-02',
        charge_amount: '400.00',
        file_id: String(february.fileId),
      },
      { claim_id: 'C5', service_date: '2024-01-20', charge_amount: '500.00', file_id: r },
      { claim_id: 'C6', service_date: '2024-01-15', charge_amount: '60.00', file_id: r },
    ]);
    // The raw table keeps every version, the dropped C2 among them: nothing loaded is ever overwritten.
    expect(await wh.rows("select count(*) as n from raw.pm_charges where practice_id = 'P001'")).toEqual([
      { n: '8' },
    ]);
  });

  it('an export without a declared period covers the dates of its rows only', async () => {
    const partial = await wh.load(
      'charges-mid-january.csv',
      csv('C1,1,P1,2024-01-05,99213,155.00', 'C5,1,P1,2024-01-20,99213,500.00'),
    );
    expect(
      await wh.rows(
        `select coverage_from, coverage_to, coverage_source from raw.pm_exports where file_id = ${partial.fileId}`,
      ),
    ).toEqual([{ coverage_from: '2024-01-05', coverage_to: '2024-01-20', coverage_source: 'rows' }]);
    // C6 (January 15) is inside the range and absent: deleted. C3 (January 31) is outside it: kept.
    expect((await current()).map((row) => [row.claim_id, row.charge_amount])).toEqual([
      ['C1', '155.00'],
      ['C3', '300.00'],
      ['C4', '400.00'],
      ['C5', '500.00'],
    ]);
  });

  it("never lets one practice's export delete or replace another practice's rows", async () => {
    await wh.load('other/charges_2024-01.csv', csv('C1,1,P9,2024-01-05,99213,999.00'), { practice: 'P002' });
    expect((await current()).map((row) => row.claim_id)).toEqual(['C1', 'C3', 'C4', 'C5']);
    expect((await current('P002')).map((row) => [row.claim_id, row.charge_amount])).toEqual([
      ['C1', '999.00'],
    ]);
  });

  it("follows the profile's date field: exports filtered on entry date never delete other months' rows", async () => {
    const profiles = resolveProfileFile(
      {
        name: 'entry',
        snapshot: { period_from_file_name: '_(?<year>\\d{4})-(?<month>\\d{2})\\.csv$' },
        entities: { charges: { columns: 'canonical', snapshot: { date_field: 'claim_created_date' } } },
      },
      'entry.yaml',
    );
    const header = `${CHARGES},claim_created_date`;
    const load = (name: string, ...rows: string[]) =>
      wh.load(name, `${[header, ...rows].join('\n')}\n`, { profiles, practice: 'P003' });
    await load(
      'entry/charges_2024-01.csv',
      'E1,1,P1,2023-12-28,99213,10.00,2024-01-02',
      'E2,1,P1,2024-01-10,99213,20.00,2024-01-11',
    );
    await load('entry/charges_2024-02.csv', 'E3,1,P1,2024-01-30,99213,30.00,2024-02-01');
    const ids = async () =>
      (
        await wh.rows(
          `select claim_id from (${sql.pm_charges}) as current_rows where practice_id = 'P003' order by 1`,
        )
      ).map((r) => r.claim_id);
    expect(await ids()).toEqual(['E1', 'E2', 'E3']);
    await load('entry-rerun/charges_2024-01.csv', 'E1,1,P1,2023-12-28,99213,10.00,2024-01-02');
    expect(await ids()).toEqual(['E1', 'E3']);
  });

  it('master data (patients) without a date: the latest export wins per key, absent rows stay', async () => {
    await wh.load('patients.csv', 'patient_id,first_name\nP1,Ann\nP2,Bo\n');
    await wh.load('later/patients.csv', 'patient_id,first_name\nP1,Anne\n');
    expect(
      await wh.rows(
        `select patient_id, first_name from (${sql.pm_patients}) as current_rows where practice_id = 'P001' order by 1`,
      ),
    ).toEqual([
      { patient_id: 'P1', first_name: 'Anne' },
      { patient_id: 'P2', first_name: 'Bo' },
    ]);
  });
});
