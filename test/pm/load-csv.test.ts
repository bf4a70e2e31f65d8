import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadProfiles, resolveProfileFile } from '../../etl/pm/profile.ts';
import { pmCurrentSql } from '../helpers/pm-current.ts';
import { fixtureProfiles, type PmTestWarehouse, pmWarehouse, quarantine } from './helpers.ts';

const CHARGES = 'claim_id,line_number,patient_id,service_date,cpt,charge_amount';
const lines = (...rows: string[]) => `${rows.join('\n')}\n`;

describe('CSV loading: good files', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-good');
  });
  afterAll(() => wh.close());

  it('loads extra, blank and reordered columns by name, warning about the named columns it does not know', async () => {
    const outcome = await wh.load(
      'charges-reordered.csv',
      lines(
        'cpt,charge_amount,Balance,claim_id,,service_date,patient_id,line_number,Notes,',
        '99213,125.00,0.00,C100,,2024-01-05,P1,1,first visit,',
      ),
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    expect(outcome.warnings.filter((w) => w.code === 'unknown_column')).toEqual([
      {
        location: 'line 1, column "Balance"',
        code: 'unknown_column',
        message: 'column not in profile canonical/charges: not loaded',
      },
      {
        location: 'line 1, column "Notes"',
        code: 'unknown_column',
        message: 'column not in profile canonical/charges: not loaded',
      },
    ]);
    expect(
      await wh.rows(
        "select line_no, claim_id, line_number, service_date, cpt, charge_amount from raw.pm_charges where claim_id = 'C100'",
      ),
    ).toEqual([
      {
        line_no: '2',
        claim_id: 'C100',
        line_number: '1',
        service_date: '2024-01-05',
        cpt: '99213',
        charge_amount: '125.00',
      },
    ]);
  });

  it('reads a UTF-8 BOM, CRLF line ends, quoted fields with commas, quotes and newlines, at their physical lines', async () => {
    const text = [
      '\uFEFFpatient_id,first_name,last_name,address_line_1,city',
      'P10,Ann,"Lee, Jr.","12 ""Oak"" St",Springfield',
      'P11,Bo,Chan,"Suite 4',
      'Building B',
      '',
      'Back door",Shelbyville',
      '',
      'P12,Cy,Diaz,,Ogdenville',
    ].join('\r\n');
    const outcome = await wh.load('patients-quoted.csv', `${text}\r\n`);
    expect(outcome.status).toBe('loaded');
    expect(
      await wh.rows(
        "select line_no, patient_id, last_name, address_line_1, city from raw.pm_patients where patient_id like 'P1_' order by 1",
      ),
    ).toEqual([
      {
        line_no: '2',
        patient_id: 'P10',
        last_name: 'Lee, Jr.',
        address_line_1: '12 "Oak" St',
        city: 'Springfield',
      },
      {
        line_no: '3',
        patient_id: 'P11',
        last_name: 'Chan',
        address_line_1: 'Suite 4\r\nBuilding B\r\n\r\nBack door',
        city: 'Shelbyville',
      },
      { line_no: '8', patient_id: 'P12', last_name: 'Diaz', address_line_1: null, city: 'Ogdenville' },
    ]);
  });

  it('reads Windows-1252 names when the file is not UTF-8, and says so', async () => {
    const bytes = Buffer.from(
      'patient_id,first_name,last_name\r\nP20,Jos\xe9,Pe\xf1a\r\nP21,\x93Zo\x94,M\xfcller\r\n',
      'latin1',
    );
    const outcome = await wh.load('patients-1252.csv', bytes);
    expect(outcome.status).toBe('loaded');
    if (outcome.status === 'loaded') {
      expect(outcome.warnings).toContainEqual({
        location: 'file',
        code: 'encoding',
        message: 'not UTF-8: read as Windows-1252',
      });
    }
    expect(
      await wh.rows(
        "select line_no, first_name, last_name from raw.pm_patients where patient_id in ('P20', 'P21') order by 1",
      ),
    ).toEqual([
      { line_no: '2', first_name: 'José', last_name: 'Peña' },
      { line_no: '3', first_name: '“Zo”', last_name: 'Müller' },
    ]);
    expect(await wh.rows(`select encoding from raw.pm_exports where file_id = ${outcome.fileId}`)).toEqual([
      { encoding: 'windows-1252' },
    ]);
  });

  it('leaves out a repeated header line and a trailing totals row, keeping physical line numbers', async () => {
    const outcome = await wh.load(
      'charges_202401.csv',
      [
        '\uFEFF"Claim #","Line","DOS","Patient Acct #","CPT","Mod 1","Units","Dx 1","Charges"',
        '"C200","1","01/05/2024","P1","99213","25","1","E119","$1,234.56"',
        '"Claim #","Line","DOS","Patient Acct #","CPT","Mod 1","Units","Dx 1","Charges"',
        '"C200","2","01/05/2024","P1","36415","","1","e11.9","($12.00)"',
        '"Total","","","","","","","","$1,222.56"',
        '',
      ].join('\r\n'),
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status === 'loaded') {
      expect(outcome.rowCount).toBe(2);
      expect(outcome.warnings.filter((warning) => warning.code === 'skipped_rows')).toEqual([
        { location: 'file', code: 'skipped_rows', message: '1 repeated header line left out' },
        {
          location: 'file',
          code: 'skipped_rows',
          message:
            '1 row left out by skip_rows: the first column matching /^(grand )?totals?:?$/ (a totals row)',
        },
      ]);
    }
    expect(
      await wh.rows(
        "select line_no, line_number, modifier_1, icd10_1, charge_amount from raw.pm_charges where claim_id = 'C200' order by 1",
      ),
    ).toEqual([
      { line_no: '2', line_number: '1', modifier_1: '25', icd10_1: 'E11.9', charge_amount: '1234.56' },
      { line_no: '4', line_number: '2', modifier_1: null, icd10_1: 'E11.9', charge_amount: '-12.00' },
    ]);
  });

  it('reads negative amounts written with a minus, in parentheses and with a trailing minus', async () => {
    await wh.load(
      'payments_202402.csv',
      lines(
        '"Pmt #","Post Date","Amount","Paid By"',
        '"L1","02/01/2024","$1,234.56","payer"',
        '"L2","02/01/2024","($12.00)","payer"',
        '"L3","02/01/2024","(1,000.00)","patient"',
        '"L4","02/01/2024","-5.00","patient"',
        '"L5","02/01/2024","$0.5","patient"',
      ),
    );
    await wh.load(
      'payments_2024_02.csv',
      lines('PMT_ID,POST_DT,PMT_AMT', 'K1,20240201,12.00-', 'K2,20240201,1234.56', 'K3,20240201,-7.10'),
    );
    expect(
      await wh.rows(
        "select payment_id, amount from raw.pm_payments where payment_id similar to '[LK][0-9]' order by 1",
      ),
    ).toEqual([
      { payment_id: 'K1', amount: '-12.00' },
      { payment_id: 'K2', amount: '1234.56' },
      { payment_id: 'K3', amount: '-7.10' },
      { payment_id: 'L1', amount: '1234.56' },
      { payment_id: 'L2', amount: '-12.00' },
      { payment_id: 'L3', amount: '-1000.00' },
      { payment_id: 'L4', amount: '-5.00' },
      { payment_id: 'L5', amount: '0.50' },
    ]);
  });

  it('reads cells a spreadsheet saved as ="…" (leading zeros kept), and reports a bad one as the file has it', async () => {
    const outcome = await wh.load(
      'payments_202403.csv',
      lines(
        '"Pmt #","Post Date","Amount","Paid By"',
        '"=""00123""","=""03/01/2024""","=""$15.00""","payer"',
        '="00124",03/02/2024,="7.5",="patient"',
        ' ="00125" ,03/02/2024,="1",patient',
        '="A""1",03/02/2024,2,patient',
      ),
    );
    expect(outcome.status).toBe('loaded');
    expect(
      await wh.rows(
        "select payment_id, posted_date::varchar as posted, amount from raw.pm_payments where payment_id like '0012%' order by 1",
      ),
    ).toEqual([
      { payment_id: '00123', posted: '2024-03-01', amount: '15.00' },
      { payment_id: '00124', posted: '2024-03-02', amount: '7.50' },
      { payment_id: '00125', posted: '2024-03-02', amount: '1.00' },
    ]);
    expect(await wh.rows("select payment_id from raw.pm_payments where payment_id like 'A%'")).toEqual([
      { payment_id: 'A"1' },
    ]);
    // A totals row saved the same way is still recognised as the totals row (and checked against the rows).
    const totals = await wh.load(
      'charges_202403.csv',
      lines(
        '"Claim #","Line","DOS","Patient Acct #","CPT","Mod 1","Units","Dx 1","Charges"',
        '"C300","1","03/05/2024","=""00007""","99213","","1","E119","$100.00"',
        '"C300","2","03/05/2024","=""00007""","36415","","1","E119","$20.00"',
        '"=""Total""","","","","","","","","=""$120.00"""',
      ),
    );
    expect(totals.status).toBe('loaded');
    expect(
      await wh.rows(
        "select patient_id, charge_amount from raw.pm_charges where claim_id = 'C300' order by 2",
      ),
    ).toEqual([
      { patient_id: '00007', charge_amount: '20.00' },
      { patient_id: '00007', charge_amount: '100.00' },
    ]);
    const bad = await wh.load(
      'payments_202404.csv',
      lines('PMT_ID,POST_DT,PMT_AMT', '="00125",20240401,="1.234"'),
    );
    expect(quarantine(bad)).toEqual({
      location: 'line 2, column "PMT_AMT"',
      expected: 'an amount like 1234.56 (negative: 12.00- or -12.00), at most 2 decimals',
      found: '"=\\"1.234\\""', // the cell as the file has it, quoted for the report
    });
  });

  it('reads dates in two formats in one file, constants, ignored columns and a footer line, with a chosen profile', async () => {
    const profiles = loadProfiles([fixtureProfiles]);
    const outcome = await wh.load(
      'received.csv',
      lines(
        'Receipt,Account,Claim,Received,Posted,Method,Amount Received,At Visit,Cashier',
        'R1,P1,C1,01/05/2024,2024-01-06,card,$20.00,Yes,Kim',
        'R2,P2,,2024-01-07,01/08/2024,cash,(5.00),No,Kim',
        'Report Total,,,,,,$15.00,,',
        'Printed on 01/31/2024',
      ),
      { profiles, profile: 'frontdesk/payments' },
    );
    expect(outcome.status).toBe('loaded');
    expect(
      await wh.rows(
        "select line_no, payment_id, claim_id, payment_date, posted_date, payment_source, amount, time_of_service from raw.pm_payments where payment_id like 'R_' order by 1",
      ),
    ).toEqual([
      {
        line_no: '2',
        payment_id: 'R1',
        claim_id: 'C1',
        payment_date: '2024-01-05',
        posted_date: '2024-01-06',
        payment_source: 'patient',
        amount: '20.00',
        time_of_service: 'true',
      },
      {
        line_no: '3',
        payment_id: 'R2',
        claim_id: null,
        payment_date: '2024-01-07',
        posted_date: '2024-01-08',
        payment_source: 'patient',
        amount: '-5.00',
        time_of_service: 'false',
      },
    ]);
    // The totals row (read as a row) and the one-field footer (which the CSV reader could not split) are both
    // on record, at their lines, as rows every entity of the file leaves out.
    expect(
      await wh.rows(
        `select line_no, entity, rule, reason from raw.pm_left_out_rows
         where file_id = (select max(file_id) from raw.files) order by 1`,
      ),
    ).toEqual([
      {
        line_no: '4',
        entity: null,
        rule: 'skip_rows',
        reason: '"Receipt" matching /^(report total|printed on .*)$/',
      },
      {
        line_no: '5',
        entity: null,
        rule: 'skip_rows',
        reason: '"Receipt" matching /^(report total|printed on .*)$/',
      },
    ]);
  });

  it('chooses a profile by its file_name pattern, and refuses a named file whose header does not fit it', async () => {
    const profiles = [...loadProfiles(), ...loadProfiles([fixtureProfiles])];
    const header = 'Receipt,Account,Claim,Received,Posted,Method,Amount Received,At Visit,Cashier';
    const named = await wh.load(
      'received_2024-02.csv',
      lines(header, 'R9,P1,C1,02/05/2024,2024-02-06,card,$20.00,Yes,Kim'),
      {
        profiles,
      },
    );
    expect(named.status).toBe('loaded');
    expect(await wh.rows(`select profile from raw.pm_exports where file_id = ${named.fileId}`)).toEqual([
      { profile: 'frontdesk/payments' },
    ]);
    const wrong = await wh.load('received_2024-03.csv', lines(CHARGES, 'C1,1,P1,2024-01-05,99213,80.00'), {
      profiles,
    });
    expect(quarantine(wrong)).toEqual({
      location: 'line 1 (header)',
      expected: 'a header matching a profile; no profile (frontdesk) knows any of its columns',
      found: 'columns "claim_id", "line_number", "patient_id", "service_date", "cpt", "charge_amount"',
    });
  });

  it('splits CPT and modifiers held in one column and adds the dot to ICD-10 codes', async () => {
    await wh.load(
      'charges_2024_03.csv',
      lines(
        'CLM_NO,LN,PAT_ID,FROM_DT,PROC,DIAG1,DIAG2,CHG_AMT',
        'X1,1,P1,20240301,99213-25-59,E119,Z0000,100.00',
        'X1,2,P1,20240301,g0439,i10,,50.00',
        'TOTALS,,,,,,,150.00',
      ),
    );
    expect(
      await wh.rows(
        "select cpt, modifier_1, modifier_2, icd10_1, icd10_2 from raw.pm_charges where claim_id = 'X1' order by line_number",
      ),
    ).toEqual([
      { cpt: '99213', modifier_1: '25', modifier_2: '59', icd10_1: 'E11.9', icd10_2: 'Z00.00' },
      { cpt: 'G0439', modifier_1: null, modifier_2: null, icd10_1: 'I10', icd10_2: null },
    ]);
  });

  it('finds the header below report title lines, and numbers lines from the top of the file', async () => {
    const outcome = await wh.load(
      'titled.csv',
      lines(
        'Charge Detail Report',
        'Date range: Jan 1, 2024 - Jan 31, 2024',
        '',
        CHARGES,
        'T1,1,P1,2024-01-05,99213,80.00',
      ),
    );
    expect(outcome.status).toBe('loaded');
    expect(await wh.rows("select line_no from raw.pm_charges where claim_id = 'T1'")).toEqual([
      { line_no: '5' },
    ]);
  });

  it('reads other delimiters and a decimal comma as the profile says', async () => {
    const profiles = resolveProfileFile(
      {
        name: 'euro',
        format: {
          delimiter: ';',
          dates: ['%d.%m.%Y'],
          money: { symbols: ['€'], thousands: '.', decimal: ',', negatives: ['minus'] },
        },
        entities: {
          deposits: { columns: { Buchung: 'transaction_id', Datum: 'posting_date', Betrag: 'amount' } },
        },
      },
      'euro.yaml',
    );
    const outcome = await wh.load(
      'bank.csv',
      'Buchung;Datum;Betrag\nB1;05.01.2024;€ 1.234,56\nB2;06.01.2024;-12,5\n',
      {
        profiles,
      },
    );
    expect(outcome.status).toBe('loaded');
    expect(
      await wh.rows(
        "select transaction_id, posting_date, amount from raw.bank_deposits where transaction_id like 'B_' order by 1",
      ),
    ).toEqual([
      { transaction_id: 'B1', posting_date: '2024-01-05', amount: '1234.56' },
      { transaction_id: 'B2', posting_date: '2024-01-06', amount: '-12.50' },
    ]);
  });

  it('warns when a file repeats a natural key, and the later line wins', async () => {
    const outcome = await wh.load(
      'repeated-key.csv',
      lines(CHARGES, 'D1,1,P1,2024-01-05,99213,80.00', 'D1,1,P1,2024-01-05,99214,95.00'),
    );
    expect(outcome.status === 'loaded' && outcome.warnings).toContainEqual({
      location: 'file',
      code: 'duplicate_key',
      message: '1 row(s) repeat the claim_id+line_number of an earlier row: the last row wins',
    });
    // staging's snapshot rules keep the later line
    const { pm_charges } = pmCurrentSql(['pm_charges']);
    expect(
      await wh.rows(`select cpt, line_no from (${pm_charges}) as current_rows where claim_id = 'D1'`),
    ).toEqual([{ cpt: '99214', line_no: '3' }]);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const text = lines(CHARGES, 'C300,1,P1,2024-01-05,99213,80.00');
    expect((await wh.load('again-1.csv', text)).status).toBe('loaded');
    const before = await wh.state();
    expect((await wh.load('again-2.csv', text)).status).toBe('skipped');
    expect(await wh.state()).toBe(before);
  });
});

describe('CSV loading: bad files are quarantined whole, with where and why', () => {
  let wh: PmTestWarehouse;
  let before: string;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-bad');
    // Something already loaded, which no bad file may touch.
    expect((await wh.load('good.csv', lines(CHARGES, 'G1,1,P1,2024-01-05,99213,80.00'))).status).toBe(
      'loaded',
    );
    before = await wh.state();
  });
  afterAll(() => wh.close());

  const expectRefused = async (
    name: string,
    content: string | Buffer | null,
    expected: ReturnType<typeof quarantine>,
  ) => {
    const outcome = await wh.load(name, content);
    expect(quarantine(outcome)).toEqual(expected);
    expect(await wh.state()).toBe(before);
  };

  it('a missing required column: the closest profiles and what they miss', async () => {
    await expectRefused(
      'no-amount.csv',
      lines('claim_id,line_number,patient_id,service_date,cpt,units', 'C1,1,P1,2024-01-05,99213,1'),
      {
        location: 'line 1 (header)',
        expected:
          'a header matching a profile; closest: canonical/charges (missing "charge_amount"; knows 6 of the file\'s 6 columns); canonical/rejections (missing "rejection_date"; knows 3 of the file\'s 6 columns); canonical/transfers (missing "transfer_id", "amount", "posted_date"; knows 3 of the file\'s 6 columns)',
        found: 'columns not in canonical/charges: none',
      },
    );
  });

  it('an unknown header: the closest profiles and the columns that did not match', async () => {
    await expectRefused(
      'renamed.csv',
      lines(
        '"Claim No","Line","DOS","Patient Acct #","CPT","Charges"',
        '"C1","1","01/05/2024","P1","99213","$10.00"',
      ),
      {
        location: 'line 1 (header)',
        expected:
          'a header matching a profile; closest: ledger/charges (missing "Claim #"; knows 5 of the file\'s 6 columns); ledger/patients (missing nothing; knows 1 of the file\'s 6 columns); ledger/appointments (missing "Appt #", "Appt Date"; knows 1 of the file\'s 6 columns)',
        found: 'columns not in ledger/charges: "Claim No"',
      },
    );
  });

  it('a layout no profile knows (the worked example of docs/inputs.md before its profile is written)', async () => {
    await expectRefused(
      'payments-received.csv',
      lines(
        'Receipt,Account,Claim,Received,Posted,Method,Amount Received,At Visit,Cashier',
        'R1,P1,C1,01/05/2024,2024-01-06,card,$20.00,Yes,Kim',
      ),
      {
        location: 'line 1 (header)',
        expected:
          'a header matching a profile; no profile (bank, canonical, clearinghouse, cms1500, compact, ledger, openemr, txledger) knows any of its columns',
        found:
          'columns "Receipt", "Account", "Claim", "Received", "Posted", "Method", "Amount Received", "At Visit", "Cashier"',
      },
    );
  });

  it('an empty file', async () => {
    await expectRefused('empty.csv', '', {
      location: 'line 1',
      expected: 'a header line',
      found: 'an empty file',
    });
  });

  it('a UTF-16 ("Unicode text") file', async () => {
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('patient_id\tlast_name\r\nP1\tLee\r\n', 'utf16le'),
    ]);
    await expectRefused('unicode.txt', utf16, {
      location: 'line 1',
      expected: 'UTF-8 or Windows-1252 text (save as "CSV UTF-8" or "CSV")',
      found: 'a UTF-16 file (a spreadsheet\'s "Unicode text")',
    });
  });

  it('a row with fewer fields than the header', async () => {
    await expectRefused(
      'short.csv',
      lines(CHARGES, 'C1,1,P1,2024-01-05,99213,10.00', 'C1,2,P1,2024-01-05,36415'),
      {
        location: 'line 3',
        expected: '6 fields, as in the header',
        found: '5 fields',
      },
    );
  });

  it('a quote left open', async () => {
    await expectRefused(
      'open-quote.csv',
      lines(
        CHARGES,
        'C1,1,P1,2024-01-05,99213,10.00',
        'C2,1,"P1,2024-01-05,99213,10.00',
        'C3,1,P1,2024-01-05,99213,10.00',
      ),
      {
        location: 'line 3',
        expected: 'each field either wholly in quotes or without quotes (a quote left open?)',
        found: '"C2,1,\\"P1,2024-01-05,99213,10.00\\nC3,1,P1,2024-01-05,99213,10.00"',
      },
    );
  });

  it('a totals row that does not add up (rows missing or edited)', async () => {
    await expectRefused(
      'charges_202405.csv',
      lines(
        '"Claim #","Line","DOS","Patient Acct #","CPT","Charges"',
        '"C1","1","05/01/2024","P1","99213","$1,234.56"',
        '"C1","2","05/01/2024","P1","36415","($12.00)"',
        '"Total","","","","","$1,300.00"',
      ),
      {
        location: 'line 4 (totals row), column "Charges"',
        expected: 'the sum of the rows above, 1222.56',
        found: '1300.00',
      },
    );
  });

  it('bytes that are not UTF-8 when the profile requires UTF-8', async () => {
    const profiles = resolveProfileFile(
      { name: 'strict', format: { encoding: 'utf-8' }, entities: { patients: { columns: 'canonical' } } },
      'strict.yaml',
    );
    const outcome = await wh.load(
      'patients-ansi.csv',
      Buffer.from('patient_id,last_name\nP1,Lee\nP2,Pe\xf1a\n', 'latin1'),
      { profiles, profile: 'strict/patients' },
    );
    expect(quarantine(outcome)).toEqual({
      location: 'line 3',
      expected: 'UTF-8 text (profile strict/patients says encoding: utf-8)',
      found: 'bytes that are not UTF-8 (a file saved as Windows-1252/ANSI?)',
    });
    expect(await wh.state()).toBe(before);
  });

  it('an empty required value', async () => {
    await expectRefused('no-cpt.csv', lines(CHARGES, 'C1,1,P1,2024-01-05,,10.00'), {
      location: 'line 2, column "cpt"',
      expected: 'a cpt (required)',
      found: 'an empty value',
    });
  });

  it('a date in neither of the formats, after a quoted field spanning lines (physical line)', async () => {
    await expectRefused(
      'bad-date.csv',
      lines(
        'patient_id,last_name,address_line_1,date_of_birth',
        'P1,Lee,"1 Main St',
        'Apt 2",1980-02-03',
        'P2,Kay,,03/04/1990',
      ),
      { location: 'line 4, column "date_of_birth"', expected: 'a date as YYYY-MM-DD', found: '"03/04/1990"' },
    );
  });

  it('a money value with three decimals, a bad ICD-10 code, and a procedure with too many modifiers', async () => {
    await expectRefused('bad-money.csv', lines(CHARGES, 'C1,1,P1,2024-01-05,99213,10.005'), {
      location: 'line 2, column "charge_amount"',
      expected: 'an amount like 1234.56 (negative: -12.00), at most 2 decimals',
      found: '"10.005"',
    });
    await expectRefused(
      'bad-icd.csv',
      lines(`${CHARGES},icd10_1`, 'C1,1,P1,2024-01-05,99213,10.00,E11.9X99Z'),
      {
        location: 'line 2, column "icd10_1"',
        expected: 'an ICD-10 code like E11.9 or E119',
        found: '"E11.9X99Z"',
      },
    );
    await expectRefused(
      'charges_2024_04.csv',
      lines('CLM_NO,LN,PAT_ID,FROM_DT,PROC,CHG_AMT', 'X1,1,P1,20240401,99213-25-59-XS,1.00'),
      {
        location: 'line 2, column "PROC"',
        expected: 'at most 3 parts (cpt-modifier_1-modifier_2)',
        found: '"99213-25-59-XS"',
      },
    );
  });

  it('a wrong value in one row of a million: file, line, column, value and expected format', async () => {
    // DuckDB writes the file (fast, in the test's temp folder): 1,000,000 data rows, one bad amount.
    const badLine = 876_543;
    const filePath = path.join(wh.dir, 'million.csv');
    await wh.warehouse.connection.run(`copy (
      select 'C' || i as claim_id, 1 as line_number, 'P' || (i % 997) as patient_id,
        date '2024-01-01' + cast(i % 28 as integer) as service_date, '99213' as cpt,
        case when i + 1 = ${badLine} then '12.3.4' else ((i % 50000) / 100)::decimal(18,2)::varchar end as charge_amount
      from range(1, 1000001) as t(i)
    ) to '${filePath}' (header, delimiter ',')`);
    await expectRefused('million.csv', null, {
      location: `line ${badLine}, column "charge_amount"`,
      expected: 'an amount like 1234.56 (negative: -12.00), at most 2 decimals',
      found: '"12.3.4"',
    });
  });
});
