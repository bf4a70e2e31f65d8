import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PmTestWarehouse, pmWarehouse } from './helpers.ts';

/**
 * The shipped profiles for publicly documented layouts, read through detection from hand-written fixtures
 * (test/fixtures/pm/shapes/). Every expected figure is worked out by hand from the fixture.
 */
const fixture = (name: string) => readFileSync(`test/fixtures/pm/shapes/${name}`);

describe('shipped profiles for real export shapes', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-shapes');
  });
  afterAll(() => wh.close());

  it("openemr: the billing table's procedure rows, without diagnosis rows and deleted ones", async () => {
    const outcome = await wh.load('openemr_billing.csv', fixture('openemr_billing.csv'));
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 4 });
    if (outcome.status !== 'loaded') return;
    expect(outcome.warnings).toEqual([
      {
        location: 'file',
        code: 'filtered_rows',
        message: '2 rows left out by rows.keep: not a procedure (code_type: diagnosis and other codes)',
      },
      {
        location: 'file',
        code: 'filtered_rows',
        message: '1 row left out by rows.drop: deleted (activity = 0)',
      },
      {
        location: 'file',
        code: 'row_totals',
        // 0 + 180 + 35 + 15 + 0 + 120 + 20 before; without ICD10 rows and the deleted 36415: 180 + 35 + 120 + 20.
        message:
          '7 data rows before filtering, 4 loaded; charge_amount 370.00 before filtering, 355.00 loaded',
      },
    ]);
    expect(
      await wh.rows(
        'select line_no, claim_id, line_number, patient_id, service_date, cpt, modifier_1, charge_amount from raw.pm_charges order by 1',
      ),
    ).toEqual([
      {
        line_no: '3',
        claim_id: '101',
        line_number: '2',
        patient_id: '1',
        service_date: '2024-03-04',
        cpt: '99214',
        modifier_1: '25',
        charge_amount: '180.00',
      },
      {
        line_no: '4',
        claim_id: '101',
        line_number: '3',
        patient_id: '1',
        service_date: '2024-03-04',
        cpt: '83036',
        modifier_1: null,
        charge_amount: '35.00',
      },
      {
        line_no: '7',
        claim_id: '102',
        line_number: '6',
        patient_id: '2',
        service_date: '2024-03-11',
        cpt: '99213',
        modifier_1: null,
        charge_amount: '120.00',
      },
      {
        line_no: '8',
        claim_id: '102',
        line_number: '7',
        patient_id: '2',
        service_date: '2024-03-11',
        cpt: 'G0444',
        modifier_1: null,
        charge_amount: '20.00',
      },
    ]);
  });

  it('openemr: ar_activity split into payments and adjustments in one load, voided postings left out', async () => {
    const outcome = await wh.load('openemr_ar_activity.csv', fixture('openemr_ar_activity.csv'));
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 8 });
    if (outcome.status !== 'loaded') return;
    expect(outcome.warnings).toEqual([
      {
        location: 'file',
        code: 'filtered_rows',
        message: 'payments: 1 row left out by rows.drop: voided (deleted is set)',
      },
      {
        location: 'file',
        code: 'filtered_rows',
        message: 'payments: 1 row left out by rows.drop: no payment on the row (pay_amount 0)',
      },
      {
        location: 'file',
        code: 'row_totals',
        // 120 + 25 + 20 + 95 + 90 + 0 before; without the voided 95.00: 255.00.
        message:
          'payments: 6 data rows before filtering, 4 loaded; amount 350.00 before filtering, 255.00 loaded',
      },
      {
        location: 'file',
        code: 'filtered_rows',
        message: 'adjustments: 1 row left out by rows.drop: voided (deleted is set)',
      },
      {
        location: 'file',
        code: 'filtered_rows',
        message: 'adjustments: 1 row left out by rows.drop: no adjustment on the row (adj_amount 0)',
      },
      {
        location: 'file',
        code: 'row_totals',
        message:
          'adjustments: 6 data rows before filtering, 4 loaded; amount 100.00 before filtering, 100.00 loaded',
      },
    ]);
    // Each row left out stays traceable to its line, with its reason: the voided posting (line 5) for both
    // entities, the adjustment-only row (line 7) for payments, the payment-only row (line 4) for adjustments.
    expect(
      await wh.rows(
        `select line_no, entity, rule, reason from raw.pm_left_out_rows
         where file_id = (select max(file_id) from raw.files) order by entity, line_no`,
      ),
    ).toEqual([
      {
        line_no: '4',
        entity: 'adjustments',
        rule: 'rows.drop',
        reason: 'no adjustment on the row (adj_amount 0)',
      },
      { line_no: '5', entity: 'adjustments', rule: 'rows.drop', reason: 'voided (deleted is set)' },
      { line_no: '5', entity: 'payments', rule: 'rows.drop', reason: 'voided (deleted is set)' },
      { line_no: '7', entity: 'payments', rule: 'rows.drop', reason: 'no payment on the row (pay_amount 0)' },
    ]);
    expect(
      await wh.rows(
        'select line_no, payment_id, claim_id, payment_source, posted_date, amount from raw.pm_payments order by 1',
      ),
    ).toEqual([
      {
        line_no: '2',
        payment_id: '1:101:1',
        claim_id: '101',
        payment_source: 'payer',
        posted_date: '2024-03-20',
        amount: '120.00',
      },
      {
        line_no: '3',
        payment_id: '1:101:2',
        claim_id: '101',
        payment_source: 'payer',
        posted_date: '2024-03-20',
        amount: '25.00',
      },
      {
        line_no: '4',
        payment_id: '1:101:3',
        claim_id: '101',
        payment_source: 'patient',
        posted_date: '2024-03-25',
        amount: '20.00',
      },
      {
        line_no: '6',
        payment_id: '2:102:2',
        claim_id: '102',
        payment_source: 'payer',
        posted_date: '2024-03-29',
        amount: '90.00',
      },
    ]);
    expect(
      await wh.rows(
        'select line_no, adjustment_id, adjustment_type, amount from raw.pm_adjustments order by 1',
      ),
    ).toEqual([
      { line_no: '2', adjustment_id: '1:101:1', adjustment_type: null, amount: '40.00' },
      { line_no: '3', adjustment_id: '1:101:2', adjustment_type: 'Contractual', amount: '10.00' },
      { line_no: '6', adjustment_id: '2:102:2', adjustment_type: null, amount: '30.00' },
      { line_no: '7', adjustment_id: '2:102:3', adjustment_type: 'Small balance', amount: '20.00' },
    ]);
  });

  it('txledger: one signed ledger routed to charges, payments, adjustments and transfers, reversals netting', async () => {
    const outcome = await wh.load('txledger_2024-05.csv', fixture('txledger_2024-05.csv'), {
      practice: 'P002',
    });
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 9, warnings: [] });
    const totals = await wh.rows(
      `select 'charges' as entity, count(*) as n, sum(charge_amount) as total from raw.pm_charges where practice_id = 'P002'
       union all select 'payments', count(*), sum(amount) from raw.pm_payments where practice_id = 'P002'
       union all select 'adjustments', count(*), sum(amount) from raw.pm_adjustments where practice_id = 'P002'
       union all select 'transfers', count(*), sum(amount) from raw.pm_transfers where practice_id = 'P002'
       order by 1`,
    );
    // Charges 180.00 + 12.00; payments 150.00 + 12.00 - 12.00 (T1006 reverses T1005) - 5.00 (refund);
    // adjustments 30.00 + 7.50: the balance, 9.50, is 192.00 - 145.00 - 37.50. T1009 moves 18.00 of it from
    // the payer to the patient: a transfer, which changes who owes, not how much.
    expect(totals).toEqual([
      { entity: 'adjustments', n: '2', total: '37.50' },
      { entity: 'charges', n: '2', total: '192.00' },
      { entity: 'payments', n: '4', total: '145.00' },
      { entity: 'transfers', n: '1', total: '18.00' },
    ]);
    expect(
      await wh.rows(
        "select line_no, transfer_id, claim_id, payer_id from raw.pm_transfers where practice_id = 'P002'",
      ),
    ).toEqual([{ line_no: '10', transfer_id: 'T1009', claim_id: 'C500', payer_id: 'BCBS' }]);
    expect(
      await wh.rows(
        "select line_no, payment_id, amount from raw.pm_payments where practice_id = 'P002' order by 1",
      ),
    ).toEqual([
      { line_no: '4', payment_id: 'T1003', amount: '150.00' },
      { line_no: '6', payment_id: 'T1005', amount: '12.00' },
      { line_no: '7', payment_id: 'T1006', amount: '-12.00' },
      { line_no: '8', payment_id: 'T1007', amount: '-5.00' },
    ]);
  });

  it('cms1500: one charge per service line with a procedure, numbered by its place on the form', async () => {
    const outcome = await wh.load('cms1500_claims.csv', fixture('cms1500_claims.csv'), { practice: 'P003' });
    expect(outcome).toMatchObject({ status: 'loaded', rowCount: 7, warnings: [] });
    expect(
      await wh.rows(
        "select line_no, claim_id, line_number, cpt, modifier_1, icd10_1, dx_pointers, charge_amount, rendering_npi from raw.pm_charges where practice_id = 'P003' order by claim_id, line_number",
      ),
    ).toEqual([
      {
        line_no: '2',
        claim_id: 'CL1',
        line_number: '1',
        cpt: '99214',
        modifier_1: '25',
        icd10_1: 'E11.9',
        dx_pointers: 'AB',
        charge_amount: '180.00',
        rendering_npi: '1234567893',
      },
      {
        line_no: '2',
        claim_id: 'CL1',
        line_number: '2',
        cpt: '83036',
        modifier_1: null,
        icd10_1: 'E11.9',
        dx_pointers: 'A',
        charge_amount: '35.00',
        rendering_npi: '1234567893',
      },
      {
        line_no: '2',
        claim_id: 'CL1',
        line_number: '3',
        cpt: '36415',
        modifier_1: null,
        icd10_1: 'E11.9',
        dx_pointers: 'A',
        charge_amount: '15.00',
        rendering_npi: '1234567893',
      },
      {
        line_no: '2',
        claim_id: 'CL1',
        line_number: '4',
        cpt: '81002',
        modifier_1: null,
        icd10_1: 'E11.9',
        dx_pointers: 'B',
        charge_amount: '33.00',
        rendering_npi: '1234567893',
      },
      {
        line_no: '3',
        claim_id: 'CL2',
        line_number: '1',
        cpt: '99396',
        modifier_1: null,
        icd10_1: 'Z00.00',
        dx_pointers: 'A',
        charge_amount: '250.00',
        rendering_npi: '1992999999',
      },
      {
        line_no: '3',
        claim_id: 'CL2',
        line_number: '3',
        cpt: '90471',
        modifier_1: null,
        icd10_1: 'Z00.00',
        dx_pointers: 'A',
        charge_amount: '25.00',
        rendering_npi: '1992999999',
      },
      {
        line_no: '3',
        claim_id: 'CL2',
        line_number: '4',
        cpt: '90715',
        modifier_1: null,
        icd10_1: 'Z00.00',
        dx_pointers: 'A',
        charge_amount: '20.00',
        rendering_npi: '1992999999',
      },
    ]);
    // Each claim's lines add up to its item 28 total charge: 263.00 and 295.00.
    expect(
      await wh.rows(
        "select claim_id, sum(charge_amount) as total from raw.pm_charges where practice_id = 'P003' group by 1 order by 1",
      ),
    ).toEqual([
      { claim_id: 'CL1', total: '263.00' },
      { claim_id: 'CL2', total: '295.00' },
    ]);
  });
});
