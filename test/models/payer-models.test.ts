import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, Manifest } from '../../etl/generate/index.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

type Row = Record<string, string | number | boolean | null>;

/** Amounts leave DuckDB as integer cents, dates as ISO text, so rows compare with the manifest as plain values. */
const cents = (column: string): string => `cast(round(${column} * 100) as integer) as ${column}`;

/**
 * Two generated practices through load and the real `dbt build`: the payer, contract and reconciliation marts
 * must find every anomaly the generator planted, with the manifest's amounts, and explain every other dollar.
 */
describe('payer and reconciliation models against the generator manifest', () => {
  const wh = tempWarehouse('payer-models');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let instance: DuckDBInstance;
  let query: (sql: string) => Promise<Row[]>;

  beforeAll(async () => {
    // Three months carry every planted event (the plan puts them at fractions of the period) yet keep the build short.
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '2',
      '--providers',
      '1',
      '--months',
      '3',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(inbox, 'manifest.json'), 'utf8'));
    const load = runRcm(['load', inbox, '--warehouse', wh.database]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    const dbt = runRcm(['transform', '--warehouse', wh.database]);
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
    instance = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    query = async (sql) => (await connection.runAndReadAll(sql)).getRowObjectsJS() as Row[];
  });
  afterAll(() => {
    instance?.closeSync();
    wh.remove();
  });

  const anomalies = (type: Anomaly['type']): Anomaly[] => manifest.anomalies.filter((a) => a.type === type);
  const items = (where: string): Promise<Row[]> =>
    query(`
      select practice_id, status, trace_number, claim_id, plb_reason_code, plb_reference_id,
             cast(payment_date as varchar) as payment_date,
             ${cents('remitted_amount')}, ${cents('posted_amount')}, ${cents('deposited_amount')},
             ${cents('difference_amount')}
      from marts.reconciliation_items where ${where}
      order by practice_id, reconciliation_item_id`);

  it('the underpayment: the payer, its codes, every affected line and the shortfall to the cent', async () => {
    const planted = anomalies('underpayment');
    expect(planted.length).toBe(manifest.practices.length);
    for (const a of planted) {
      const codes = (a.cpt_codes as string[]).map((c) => `'${c}'`).join(', ');
      const [found] = await query(`
        select count(*)::integer as lines, cast(round(-sum(difference_amount) * 100) as integer) as shortfall,
               count(distinct payer_id)::integer as payers
        from marts.underpayments
        where practice_id = '${a.practice_id}' and variance_type = 'underpaid' and payer_id = '${a.payer_id}'
          and cpt in (${codes}) and service_date >= date '${a.contract_effective_date}'`);
      expect(found).toEqual({ lines: a.affected_lines, shortfall: a.shortfall_cents, payers: 1 });
      for (const example of a.examples as {
        claim_id: string;
        cpt: string;
        contracted_cents: number;
        paid_allowed_cents: number;
      }[]) {
        const rows = await query(`
          select ${cents('expected_allowed_amount')}, ${cents('allowed_amount')} from marts.underpayments
          where practice_id = '${a.practice_id}' and claim_id = '${example.claim_id}' and cpt = '${example.cpt}'`);
        expect(rows).toContainEqual({
          expected_allowed_amount: example.contracted_cents,
          allowed_amount: example.paid_allowed_cents,
        });
      }
    }
  });

  it('every other contract variance is the overpaid claim or a retroactive rate correction', async () => {
    const underpaid = anomalies('underpayment');
    const overpaid = anomalies('overpayment_recovery');
    const corrected = manifest.practices.flatMap((p) =>
      p.reversals.filter((r) => r.kind === 'reverse_correct').map((r) => `${p.practice_id}|${r.claim_id}`),
    );
    const rows = await query(`
      select practice_id, claim_id, payer_id, cpt, cast(service_date as varchar) as service_date,
             ${cents('difference_amount')}
      from marts.underpayments order by practice_id, claim_id`);
    const others = rows.filter(
      (r) =>
        !underpaid.some(
          (a) =>
            a.practice_id === r.practice_id &&
            a.payer_id === r.payer_id &&
            (a.cpt_codes as string[]).includes(r.cpt as string) &&
            (r.service_date as string) >= (a.contract_effective_date as string) &&
            (r.difference_amount as number) < 0,
        ),
    );
    for (const a of overpaid) {
      expect(others).toContainEqual(
        expect.objectContaining({
          practice_id: a.practice_id,
          claim_id: a.claim_id,
          difference_amount: a.overpaid_cents,
        }),
      );
    }
    const unexplained = others.filter(
      (r) =>
        !overpaid.some((a) => a.practice_id === r.practice_id && a.claim_id === r.claim_id) &&
        !corrected.includes(`${r.practice_id}|${r.claim_id}`),
    );
    expect(unexplained).toEqual([]);
  });

  it('initial denials: per month of the first 835 and in the scorecard, the claims the manifest says were denied', async () => {
    const byMonth = await query(`
      select practice_id, strftime(first_remittance_date, '%Y-%m') as month, count(*)::integer as denied
      from intermediate.int_claim_initial_denials group by 1, 2 order by 1, 2`);
    const expected = manifest.totals
      .filter((t) => t.era.claims_denied > 0)
      .map((t) => ({ practice_id: t.practice_id, month: t.month, denied: t.era.claims_denied }))
      .sort((x, y) => `${x.practice_id}${x.month}`.localeCompare(`${y.practice_id}${y.month}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(byMonth).toEqual(expected);
    const scorecard = await query(`
      select practice_id, sum(initial_denial_count)::integer as denied from marts.payer_scorecard
      where period = 'month' group by 1 order by 1`);
    const mix = await query(`
      select practice_id, sum(initial_denial_count)::integer as denied from marts.payer_denial_mix
      where period = 'month' group by 1 order by 1`);
    const perPractice = manifest.practices.map(({ practice_id }) => ({
      practice_id,
      denied: manifest.totals
        .filter((t) => t.practice_id === practice_id)
        .reduce((sum, t) => sum + t.era.claims_denied, 0),
    }));
    expect(scorecard).toEqual(perPractice);
    expect(mix).toEqual(perPractice);
  });

  it('both ERAs never posted: their trace, their BPR02, their claims, and no other', async () => {
    const planted = anomalies('era_not_posted');
    expect(planted.length).toBe(2 * manifest.practices.length);
    const found = await query(`
      select practice_id, trace_number, count(*)::integer as claims,
             cast(round(sum(remitted_amount) * 100) as integer) as claims_paid
      from marts.reconciliation_items where status = 'era_not_posted'
      group by practice_id, trace_number order by practice_id, trace_number`);
    const expected = planted
      .map((a) => ({
        practice_id: a.practice_id,
        trace_number: a.trace_number,
        claims: a.claims,
        claims_paid: a.claims_paid_cents,
      }))
      .sort((x, y) => `${x.practice_id}${x.trace_number}`.localeCompare(`${y.practice_id}${y.trace_number}`));
    expect(found).toEqual(expected);
    for (const a of planted) {
      const bank = await items(
        `reconciliation = 'bank' and practice_id = '${a.practice_id}' and trace_number = '${a.trace_number}'`,
      );
      expect(bank).toEqual([
        expect.objectContaining({
          status: 'matched',
          remitted_amount: a.bpr_cents,
          deposited_amount: a.bpr_cents,
        }),
      ]);
    }
  });

  it('the posting error: one claim posted off by the manifest difference, and no other', async () => {
    const planted = anomalies('posting_error');
    expect(planted.length).toBe(manifest.practices.length);
    const found = await items(`status = 'posted_differs_from_remitted'`);
    expect(found).toEqual(
      planted.map((a) =>
        expect.objectContaining({
          practice_id: a.practice_id,
          trace_number: a.trace_number,
          claim_id: a.claim_id,
          remitted_amount: a.correct_cents,
          posted_amount: a.posted_cents,
          difference_amount: a.difference_cents,
        }),
      ),
    );
  });

  it('the deposit mismatch: its trace and the difference deposit − BPR02, and no other', async () => {
    const planted = anomalies('deposit_mismatch');
    expect(planted.length).toBe(manifest.practices.length);
    const found = await items(`status = 'deposit_amount_differs'`);
    expect(found).toEqual(
      planted.map((a) =>
        expect.objectContaining({
          practice_id: a.practice_id,
          trace_number: a.trace_number,
          remitted_amount: a.bpr_cents,
          deposited_amount: a.deposit_cents,
          difference_amount: a.difference_cents,
        }),
      ),
    );
  });

  it('the overpayment recovery: a PLB WO recoupment naming the claim and its takeback posted, and no other', async () => {
    const planted = anomalies('overpayment_recovery');
    expect(planted.length).toBe(manifest.practices.length);
    const recoupments = await items(`status = 'plb_recoupment'`);
    const postings = await items(`status = 'posted_for_plb'`);
    expect(recoupments).toHaveLength(planted.length);
    expect(postings).toHaveLength(planted.length);
    for (const a of planted) {
      const plb = recoupments.find((r) => r.practice_id === a.practice_id);
      expect(plb).toMatchObject({ plb_reason_code: 'WO', remitted_amount: -(a.overpaid_cents as number) });
      expect(String(plb?.plb_reference_id).startsWith(a.claim_id as string)).toBe(true);
      expect(plb?.payment_date).toBe(a.recovery_run);
      expect(postings).toContainEqual(
        expect.objectContaining({
          practice_id: a.practice_id,
          claim_id: a.claim_id,
          trace_number: plb?.trace_number,
          posted_amount: -(a.overpaid_cents as number),
        }),
      );
    }
  });

  it('the reversal carried forward: PLB FB items name the claim, offset its reversal and net to zero when both are in', async () => {
    const planted = anomalies('reversal_forward_balance');
    const forwarded = await items(`status = 'plb_forwarding_balance'`);
    const explained: Row[] = [];
    for (const a of planted) {
      const fb = forwarded.filter(
        (r) => r.practice_id === a.practice_id && r.plb_reference_id === a.claim_id,
      );
      explained.push(...fb);
      if ((a.reversal_run as string) > manifest.period.as_of) {
        expect(fb).toEqual([]);
        continue;
      }
      // on the reversal's 835 the FB offsets the negative CLP04; the next 835 of the payer takes it back
      const [offset, ...carried] = fb;
      const reversal = await items(
        `reconciliation = 'posting' and practice_id = '${a.practice_id}' and claim_id = '${a.claim_id}' and payment_date = date '${a.reversal_run}'`,
      );
      expect(offset?.payment_date).toBe(a.reversal_run);
      expect(reversal).toHaveLength(1);
      expect(offset?.remitted_amount).toBe(-(reversal[0]?.remitted_amount as number));
      expect(offset?.remitted_amount as number).toBeGreaterThan(0);
      expect(carried.length).toBeLessThanOrEqual(1);
      if (carried.length === 1)
        expect(carried[0]?.remitted_amount).toBe(-(offset?.remitted_amount as number));
    }
    expect(planted.some((a) => (a.reversal_run as string) <= manifest.period.as_of)).toBe(true);
    expect(forwarded).toEqual(explained);
  });

  it('nothing else is unexplained: other exceptions are interest (equal to the PLB totals) or still in transit', async () => {
    const statuses = await query(`
      select status, count(*)::integer as n from marts.reconciliation_items where is_exception
      group by status order by status`);
    const named = new Set([
      'era_not_posted',
      'posted_differs_from_remitted',
      'deposit_amount_differs',
      'plb_recoupment',
      'posted_for_plb',
      'plb_forwarding_balance',
      'plb_interest',
      'era_posting_pending',
      'deposit_in_transit',
      'patient_deposit_pending',
    ]);
    expect(statuses.filter((s) => !named.has(s.status as string))).toEqual([]);
    // in transit: only what the as-of date cut off (an 835 paid within 30 days not posted yet, one within 10
    // days not deposited yet, patient receipts after the last patient deposit)
    const late = await query(`
      select items.status, count(*)::integer as n
      from marts.reconciliation_items as items
      inner join (select distinct practice_id, as_of_date from intermediate.int_ar_snapshot_dates) as as_of
        using (practice_id)
      where (items.status = 'era_posting_pending' and items.payment_date <= as_of.as_of_date - 30)
         or (items.status = 'deposit_in_transit' and items.payment_date <= as_of.as_of_date - 10)
         or (items.status = 'patient_deposit_pending' and items.posted_date < (
               select max(deposit_date) from marts.reconciliation_items as later
               where later.practice_id = items.practice_id and later.reconciliation = 'patient'))
      group by items.status`);
    expect(late).toEqual([]);
    // interest: Σ PLB items per practice and month equals the manifest's PLB total (positive reduces the payment)
    const plb = await query(`
      select practice_id, strftime(month, '%Y-%m') as month, cast(round(-sum(remitted_amount) * 100) as integer) as plb
      from marts.reconciliation_items where plb_reason_code is not null
      group by 1, 2 order by 1, 2`);
    const expected = manifest.totals
      .filter((t) => t.era.plb_cents !== 0)
      .map((t) => ({ practice_id: t.practice_id, month: t.month, plb: t.era.plb_cents }))
      .sort((x, y) => `${x.practice_id}${x.month}`.localeCompare(`${y.practice_id}${y.month}`));
    expect(plb).toEqual(expected);
  });

  it('the monthly statement adds up to the manifest: remitted per month on both sides, posted and deposited in total', async () => {
    const monthly = await query(`
      select practice_id, strftime(month, '%Y-%m') as month,
             cast(round(sum(case when reconciliation = 'bank' then remitted_amount else 0 end) * 100) as integer) as bank,
             cast(round(sum(case when reconciliation = 'posting' then remitted_amount else 0 end) * 100) as integer) as posting
      from marts.reconciliation_monthly group by 1, 2 having bank <> 0 or posting <> 0 order by 1, 2`);
    const expected = manifest.totals
      .filter((t) => t.era.bpr_cents !== 0)
      .map((t) => ({
        practice_id: t.practice_id,
        month: t.month,
        bank: t.era.bpr_cents,
        posting: t.era.bpr_cents,
      }))
      .sort((x, y) => `${x.practice_id}${x.month}`.localeCompare(`${y.practice_id}${y.month}`));
    expect(expected.length).toBeGreaterThan(0);
    expect(monthly).toEqual(expected);

    const totals = await query(`
      select practice_id,
             cast(round(sum(case when reconciliation = 'posting' then posted_amount else 0 end) * 100) as integer) as payer_posted,
             cast(round(sum(deposited_amount) * 100) as integer) as deposited
      from marts.reconciliation_monthly group by 1 order by 1`);
    expect(totals).toEqual(
      manifest.practices.map(({ practice_id }) => {
        const months = manifest.totals.filter((t) => t.practice_id === practice_id);
        return {
          practice_id,
          payer_posted: months.reduce((s, t) => s + t.pm.payer_payments_cents, 0),
          deposited: months.reduce((s, t) => s + t.bank.deposits_cents, 0),
        };
      }),
    );
  });
});
