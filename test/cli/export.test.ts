import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';
import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../etl/cli/exit-codes.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * A real warehouse file with a hand-built mart whose values are chosen to break a careless export: negative and
 * very large money, a rate, nulls, dates at month edges, a name with a comma and a quote.
 */
const MART = `
  create schema marts;
  create table marts.money_sample (
    practice_id varchar, month date, posted_date date, amount decimal(18,2), net_collection_rate decimal(18,6),
    days_in_ar decimal(18,2), claims bigint, is_open boolean, label varchar);
  insert into marts.money_sample values
    ('P001', '2025-01-01', '2025-01-31', 1234.56,            0.953125, 32.45, 12,   true,  'plain'),
    ('P001', '2025-02-01', '2025-02-01', -1234567.89,        null,     null,  0,    false, 'comma, and "quote"'),
    ('P002', '2025-02-01', '2025-02-28', 9999999999999.99,   1.000000, 0.00,  null, null,  null),
    ('P002', '2025-03-01', '2025-03-01', 0.01,               0.000001, 1.10,  3,    true,  'last');
  create schema raw;
  create table raw.patients (practice_id varchar, patient_name varchar);
`;

/** The mart's amounts in cents, by label order above: what every format must give back. */
const CENTS = [123456n, -123456789n, 999999999999999n, 1n];

describe('rcm export', () => {
  const wh = tempWarehouse('export');
  const out = (name: string) => path.join(wh.dir, name);
  const exportArgs = (...more: string[]) => ['export', '--warehouse', wh.database, ...more];

  beforeAll(async () => {
    const instance = await DuckDBInstance.create(wh.database);
    const connection = await instance.connect();
    await connection.run(MART);
    connection.closeSync();
    instance.closeSync();
  });
  afterAll(() => wh.remove());

  it('CSV: numbers as numbers, ISO dates, and DuckDB reads back the same rows to the cent', async () => {
    const result = runRcm(exportArgs('money_sample', '--out', out('all.csv')));
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('4 rows of money_sample written');
    const lines = readFileSync(out('all.csv'), 'utf8').trim().split('\n');
    expect(lines[0]).toBe(
      'practice_id,month,posted_date,amount,net_collection_rate,days_in_ar,claims,is_open,label',
    );
    expect(lines[1]).toBe('P001,2025-01-01,2025-01-31,1234.56,0.953125,32.45,12,true,plain');
    expect(lines[2]).toBe('P001,2025-02-01,2025-02-01,-1234567.89,,,0,false,"comma, and ""quote"""');
    expect(lines[3]).toBe('P002,2025-02-01,2025-02-28,9999999999999.99,1.000000,0.00,,,');
    const instance = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const differences = async (file: string, reader: string) =>
      Number(
        (
          await connection.runAndReadAll(
            `select count(*) from (
               (select * from marts.money_sample except all select * from ${reader}('${file}'))
               union all
               (select * from ${reader}('${file}') except all select * from marts.money_sample))`,
          )
        ).getRows()[0]?.[0],
      );
    try {
      // Typed as the mart so the comparison is exact decimal against exact decimal.
      const typedCsv = `read_csv('${out('all.csv')}', header = true, columns = {practice_id: 'varchar', month: 'date',
        posted_date: 'date', amount: 'decimal(18,2)', net_collection_rate: 'decimal(18,6)', days_in_ar: 'decimal(18,2)',
        claims: 'bigint', is_open: 'boolean', label: 'varchar'})`;
      expect(
        Number(
          (
            await connection.runAndReadAll(
              `select count(*) from ((select * from marts.money_sample except all select * from ${typedCsv})
                 union all (select * from ${typedCsv} except all select * from marts.money_sample))`,
            )
          ).getRows()[0]?.[0],
        ),
      ).toBe(0);
      // Parquet keeps the types: no declaration needed.
      expect(runRcm(exportArgs('money_sample', '--out', out('all.parquet'))).code).toBe(0);
      expect(await differences(out('all.parquet'), 'read_parquet')).toBe(0);
      const types = (
        await connection.runAndReadAll(
          `select column_type from (describe select * from read_parquet('${out('all.parquet')}')) where column_name = 'amount'`,
        )
      ).getRows();
      expect(types[0]?.[0]).toBe('DECIMAL(18,2)');
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('XLSX: numbers as numbers equal to the cent, money and rates formatted, dates as dates', async () => {
    expect(runRcm(exportArgs('money_sample', '--format', 'xlsx', '--out', out('all.xlsx'))).code).toBe(0);
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(out('all.xlsx'));
    const sheet = workbook.worksheets[0];
    if (!sheet) throw new Error('no sheet');
    expect(sheet.rowCount).toBe(5);
    const header = (sheet.getRow(1).values as unknown[]).slice(1);
    expect(header).toEqual([
      'practice_id',
      'month',
      'posted_date',
      'amount',
      'net_collection_rate',
      'days_in_ar',
      'claims',
      'is_open',
      'label',
    ]);
    const amounts = [2, 3, 4, 5].map((r) => sheet.getRow(r).getCell(4).value);
    for (const amount of amounts) expect(typeof amount).toBe('number');
    expect(amounts.map((a) => BigInt(Math.round((a as number) * 100)))).toEqual(CENTS);
    expect(sheet.getRow(2).getCell(4).numFmt).toBe('#,##0.00');
    expect(sheet.getRow(2).getCell(5).numFmt).toBe('0.0%');
    expect(sheet.getRow(2).getCell(6).numFmt).toBe('#,##0.0');
    expect(sheet.getRow(2).getCell(2).value).toEqual(new Date('2025-01-01T00:00:00Z'));
    expect(sheet.getRow(3).getCell(9).value).toBe('comma, and "quote"');
    expect(sheet.getRow(4).getCell(7).value).toBeNull();
  });

  it('Arrow IPC: money as Decimal128(18,2), the unscaled values equal to the cent', () => {
    expect(runRcm(exportArgs('money_sample', '--out', out('all.arrow'))).code).toBe(0);
    const table = tableFromIPC(readFileSync(out('all.arrow')));
    expect(table.numRows).toBe(4);
    const amount = table.getChild('amount');
    expect(amount?.type).toMatchObject({ precision: 18, scale: 2, bitWidth: 128 });
    const words = amount?.data[0]?.values as Uint32Array;
    const unscaled = [0, 1, 2, 3].map((i) => {
      let value = 0n;
      for (let w = 3; w >= 0; w--) value = (value << 32n) | BigInt(words[i * 4 + w] as number);
      return BigInt.asIntN(128, value);
    });
    expect(unscaled).toEqual(CENTS);
    expect(table.getChild('practice_id')?.toArray()).toEqual(['P001', 'P001', 'P002', 'P002']);
    expect(table.getChild('claims')?.get(0)).toBe(12n);
  });

  it('filters by practice and period (whole months, the month column by default)', () => {
    const result = runRcm(
      exportArgs(
        'money_sample',
        '--practice',
        'P002',
        '--from',
        '2025-02',
        '--to',
        '2025-02',
        '--out',
        out('f.csv'),
      ),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toContain('1 rows of money_sample written');
    expect(result.stdout).toContain('(period on month)');
    expect(readFileSync(out('f.csv'), 'utf8').trim().split('\n')[1]).toMatch(
      /^P002,2025-02-01,2025-02-28,9999999999999.99,/,
    );
    // On posted_date, February runs from the 1st to the 28th: both P001's 02-01 and P002's 02-28 rows.
    const byPosting = runRcm(
      exportArgs(
        'money_sample',
        '--from',
        '2025-02',
        '--to',
        '2025-02',
        '--period-column',
        'posted_date',
        '--out',
        out('p.csv'),
      ),
    );
    expect(byPosting.code, byPosting.stderr).toBe(0);
    expect(
      readFileSync(out('p.csv'), 'utf8')
        .trim()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    ).toEqual(['2025-02-01', '2025-02-28']);
  });

  it('exports only marts, refuses bad filters plainly, and leaves no partial file', () => {
    const rawTable = runRcm(exportArgs('patients', '--out', out('x.csv')));
    expect(rawTable.code).toBe(EXIT.usage);
    expect(rawTable.stderr).toContain("no mart 'patients'; marts: money_sample");
    const badMonth = runRcm(exportArgs('money_sample', '--from', '2025-13', '--out', out('x.csv')));
    expect(badMonth.code).toBe(EXIT.usage);
    expect(badMonth.stderr).toContain("--from takes a month as YYYY-MM, got '2025-13'");
    const notADate = runRcm(
      exportArgs('money_sample', '--from', '2025-01', '--period-column', 'label', '--out', out('x.csv')),
    );
    expect(notADate.stderr).toContain(
      '--period-column label is VARCHAR; a DATE or TIMESTAMP column is needed',
    );
    const badFormat = runRcm(exportArgs('money_sample', '--format', 'json'));
    expect(badFormat.code).toBe(EXIT.usage);
    expect(existsSync(out('x.csv'))).toBe(false);
    expect(readdirSync(wh.dir).filter((f) => f.includes('.partial'))).toEqual([]);
  });
});
