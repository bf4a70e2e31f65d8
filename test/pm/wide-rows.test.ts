import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveProfileFile } from '../../etl/pm/profile.ts';
import { type PmTestWarehouse, pmWarehouse, quarantine } from './helpers.ts';

/** A claim export in the CMS-1500 shape: one row per claim, up to six service lines side by side. */
const claimRows = (name: string, page?: string) => ({
  name,
  entities: {
    charges: {
      columns: { 'Claim ID': 'claim_id', 'Patient Account': 'patient_id', DOS: 'service_date' },
      repeat: {
        groups: 6,
        line_number: 'line_number',
        ...(page ? { page } : {}),
        columns: {
          'CPT{n}': 'cpt',
          'Mod{n}': 'modifier_1',
          'Units{n}': 'units',
          'Charge{n}': 'charge_amount',
        },
      },
    },
  },
});
const claims = resolveProfileFile(claimRows('claimrows'), 'claimrows.yaml');

const groupHeaders = Array.from(
  { length: 6 },
  (_, k) => `CPT${k + 1},Mod${k + 1},Units${k + 1},Charge${k + 1}`,
);
const HEADER = `Claim ID,Patient Account,DOS,${groupHeaders.join(',')}`;
const row = (claim: string, patient: string, dos: string, ...groups: string[]) =>
  [claim, patient, dos, ...groups, ...Array(6 - groups.length).fill(',,,')].join(',');
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('wide claim rows (a repeating column group)', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-wide');
  });
  afterAll(() => wh.close());

  it('become one charge per group that holds a value, numbered by group, on the line of their row', async () => {
    const outcome = await wh.load(
      'claims-may.csv',
      lines(
        HEADER,
        row('C100', 'P1', '2024-05-06', '99214,25,1,180.00', '81002,,1,12.00', '85025,,1,28.50'),
        row('C101', 'P2', '2024-05-07', '99213,,1,120.00'),
        row('C102', 'P3', '2024-05-08', 'G0439,,1,175.00', ',,,', '90471,,1,25.00'),
      ),
      { profiles: claims },
    );
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 6, warnings: [] });
    expect(
      await wh.rows(
        'select line_no, claim_id, line_number, cpt, modifier_1, units, charge_amount from raw.pm_charges order by claim_id, line_number',
      ),
    ).toEqual([
      {
        line_no: '2',
        claim_id: 'C100',
        line_number: '1',
        cpt: '99214',
        modifier_1: '25',
        units: '1',
        charge_amount: '180.00',
      },
      {
        line_no: '2',
        claim_id: 'C100',
        line_number: '2',
        cpt: '81002',
        modifier_1: null,
        units: '1',
        charge_amount: '12.00',
      },
      {
        line_no: '2',
        claim_id: 'C100',
        line_number: '3',
        cpt: '85025',
        modifier_1: null,
        units: '1',
        charge_amount: '28.50',
      },
      {
        line_no: '3',
        claim_id: 'C101',
        line_number: '1',
        cpt: '99213',
        modifier_1: null,
        units: '1',
        charge_amount: '120.00',
      },
      {
        line_no: '4',
        claim_id: 'C102',
        line_number: '1',
        cpt: 'G0439',
        modifier_1: null,
        units: '1',
        charge_amount: '175.00',
      },
      {
        line_no: '4',
        claim_id: 'C102',
        line_number: '3',
        cpt: '90471',
        modifier_1: null,
        units: '1',
        charge_amount: '25.00',
      },
    ]);
    // 180.00 + 12.00 + 28.50 + 120.00 + 175.00 + 25.00
    expect(await wh.rows('select sum(charge_amount) as total from raw.pm_charges')).toEqual([
      { total: '540.50' },
    ]);
  });

  it("refuses a bad value at its row's line and its group's own column", async () => {
    const outcome = await wh.load(
      'claims-june.csv',
      lines(HEADER, row('C200', 'P1', '2024-06-03', '99213,,1,90.00', '36415,,1,12.3.4')),
      { profiles: claims },
    );
    expect(quarantine(outcome)).toMatchObject({ location: 'line 2, column "Charge2"', found: '"12.3.4"' });
  });

  it('refuses a row without a first service line', async () => {
    const outcome = await wh.load('claims-july.csv', lines(HEADER, row('C300', 'P1', '2024-07-01')), {
      profiles: claims,
    });
    expect(quarantine(outcome)).toMatchObject({ location: 'line 2, column "CPT1"', found: 'an empty value' });
  });

  it('a continued form (a Page column) numbers its lines after the groups of the pages before it', async () => {
    const paged = resolveProfileFile(claimRows('pagedrows', 'Page'), 'pagedrows.yaml');
    const paging = (page: string, body: string) => body.replace(/^([^,]*),/, `$1,${page},`);
    const header = HEADER.replace('Claim ID,', 'Claim ID,Page,');
    const six = Array.from({ length: 6 }, (_, k) => `8100${k},,1,1${k}.00`);
    const outcome = await wh.load(
      'paged-aug.csv',
      lines(
        header,
        paging('1', row('C400', 'P1', '2024-08-01', ...six)),
        paging('2', row('C400', 'P1', '2024-08-01', '99213,,1,90.00', '36415,,1,12.00')),
        paging('', row('C401', 'P2', '2024-08-02', '99212,,1,60.00')),
      ),
      { profiles: paged },
    );
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 9 });
    // page 2's groups 1 and 2 are lines 7 and 8; an empty page is the first
    expect(
      await wh.rows(
        `select claim_id, line_number, cpt, line_no from raw.pm_charges
         where file_id = (select max(file_id) from raw.pm_charges) and (line_number > 6 or claim_id = 'C401')
         order by claim_id, line_number`,
      ),
    ).toEqual([
      { claim_id: 'C400', line_number: '7', cpt: '99213', line_no: '3' },
      { claim_id: 'C400', line_number: '8', cpt: '36415', line_no: '3' },
      { claim_id: 'C401', line_number: '1', cpt: '99212', line_no: '4' },
    ]);
    const bad = await wh.load(
      'paged-sep.csv',
      lines(header, paging('0', row('C500', 'P1', '2024-09-02', '99213,,1,90.00'))),
      { profiles: paged },
    );
    expect(quarantine(bad)).toMatchObject({ location: 'line 2, column "Page"', found: '"0"' });
    expect(() =>
      resolveProfileFile(
        {
          name: 'nolines',
          entities: {
            charges: {
              columns: { 'Claim ID': 'claim_id' },
              repeat: { groups: 2, page: 'Page', columns: { 'CPT{n}': 'cpt' } },
            },
          },
        },
        'nolines.yaml',
      ),
    ).toThrow(/repeat.page: numbers lines across rows, so it needs repeat.line_number/);
  });
});
