import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Manifest } from '../../etl/generate/index.ts';
import { type InboxOutcome, listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { pmCurrentSql } from '../helpers/pm-current.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * Acceptance: a small generated billing company (three practices, one per PM dialect: canonical, ledger,
 * compact) loads through the real inbox routing, every CSV in every dialect, and the warehouse's monthly totals
 * equal the generator's manifest.
 */
describe("the generator's CSV exports in every dialect", () => {
  const out = mkdtempSync(path.join(tmpdir(), 'rcm-pm-generated-'));
  const wh = tempWarehouse('pm-generated');
  let warehouse: Warehouse;
  let manifest: Manifest;
  let outcomes: InboxOutcome[];
  // the raw tables read through the staging models' snapshot rules
  let current: Record<string, string>;

  const rows = async (sql: string) =>
    (await warehouse.connection.runAndReadAll(sql)).getRowObjectsJson() as Record<
      string,
      string | number | null
    >[];

  beforeAll(async () => {
    manifest = await generate({
      outDir: out,
      practices: 3,
      providersPerPractice: 2,
      months: 2,
      visitsPerProviderDay: 4,
      seed: 'pm-acceptance',
      dialects: ['canonical', 'ledger', 'compact'],
    });
    current = pmCurrentSql([
      'pm_charges',
      'pm_appointments',
      'pm_payments',
      'pm_adjustments',
      'bank_deposits',
      'clearinghouse_rejections',
    ]);
    warehouse = await openWarehouse(wh.database);
    const csvFiles = listInbox(out).filter((file) => file.filePath.endsWith('.csv'));
    outcomes = await loadInboxFiles(warehouse.connection, wh, csvFiles);
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it('loads every CSV file, typed by its header and read with its practice dialect', async () => {
    const csvRecords = manifest.files.filter((file) => file.path.endsWith('.csv'));
    expect(outcomes).toHaveLength(csvRecords.length);
    expect(outcomes.filter((o) => o.status !== 'loaded')).toEqual([]);
    const expectedKind = (file: string) => {
      const [, folder, name] = file.split('/') as [string, string, string];
      if (folder === 'pm') return `pm:${(/^[a-z]+/.exec(name) as RegExpExecArray)[0]}`;
      return {
        clearinghouse: 'clearinghouse:rejections',
        bank: 'bank:deposits',
        contracts: 'contracts:fee_schedule',
      }[folder];
    };
    for (const o of outcomes) expect(o.kind).toBe(expectedKind(path.relative(out, o.filePath)));
    const profiles = await rows(
      "select distinct f.practice_id, split_part(e.profile, '/', 1) as source from raw.pm_exports e join raw.files f using (file_id) where e.entity not in ('rejections', 'deposits', 'fee_schedule') order by 1",
    );
    expect(profiles).toEqual(
      manifest.practices.map((p) => ({ practice_id: p.practice_id, source: p.pm_dialect })),
    );
  });

  it('stores as many rows per file as the generator wrote (totals rows left out)', async () => {
    const loaded = await rows(
      "select practice_id || '/' || regexp_extract(source_path, '[^/]+/[^/]+$') as path, row_count from raw.files where status = 'loaded'",
    );
    const byPath = new Map(loaded.map((row) => [row.path, Number(row.row_count)]));
    for (const file of manifest.files.filter((f) => f.path.endsWith('.csv'))) {
      expect([file.path, byPath.get(file.path)]).toEqual([file.path, file.records]);
    }
  });

  it("matches the manifest's monthly totals: charges, appointments, payments, adjustments, deposits, rejections", async () => {
    const cents = (column: string) => `cast(sum(${column}) * 100 as bigint)`;
    const month = (column: string) => `strftime(${column}, '%Y-%m')`;
    const actual = new Map<string, Record<string, number>>();
    const add = (practice: unknown, m: unknown, values: Record<string, unknown>) => {
      const key = `${practice} ${m}`;
      const entry = actual.get(key) ?? {};
      for (const [name, value] of Object.entries(values)) entry[name] = Number(value ?? 0);
      actual.set(key, entry);
    };
    for (const row of await rows(
      `select practice_id, ${month('service_date')} as m, ${cents('charge_amount')} as charges_cents, count(*) as charge_lines, count(distinct claim_id) as claims from (${current.pm_charges}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, {
        charges_cents: row.charges_cents,
        charge_lines: row.charge_lines,
        claims: row.claims,
      });
    for (const row of await rows(
      `select practice_id, ${month('appointment_date')} as m, count(*) as appointments from (${current.pm_appointments}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, { appointments: row.appointments });
    for (const row of await rows(
      `select practice_id, ${month('posted_date')} as m,
        ${cents("amount) filter (where payment_source = 'payer'")} as payer_payments_cents,
        ${cents("amount) filter (where payment_source = 'patient'")} as patient_payments_cents,
        ${cents("amount) filter (where payment_source = 'patient' and time_of_service")} as patient_payments_tos_cents
       from (${current.pm_payments}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, {
        payer_payments_cents: row.payer_payments_cents,
        patient_payments_cents: row.patient_payments_cents,
        patient_payments_tos_cents: row.patient_payments_tos_cents,
      });
    for (const row of await rows(
      `select practice_id, ${month('posted_date')} as m, adjustment_type, ${cents('amount')} as c from (${current.pm_adjustments}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, { [`adjustments.${row.adjustment_type}`]: row.c });
    for (const row of await rows(
      `select practice_id, ${month('posting_date')} as m, count(*) as deposits, ${cents('amount')} as deposits_cents from (${current.bank_deposits}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, { deposits: row.deposits, deposits_cents: row.deposits_cents });
    for (const row of await rows(
      `select practice_id, ${month('rejection_date')} as m, count(*) filter (where source = '999') as r999,
        count(*) filter (where source = '277CA') as r277 from (${current.clearinghouse_rejections}) as current_rows group by all`,
    ))
      add(row.practice_id, row.m, { claims_rejected_999: row.r999, claims_rejected_277ca: row.r277 });

    const expected = new Map<string, Record<string, number>>();
    for (const t of manifest.totals) {
      const entry: Record<string, number> = {
        charges_cents: t.pm.charges_cents,
        charge_lines: t.pm.charge_lines,
        claims: t.pm.claims,
        appointments: t.pm.appointments,
        payer_payments_cents: t.pm.payer_payments_cents,
        patient_payments_cents: t.pm.patient_payments_cents,
        patient_payments_tos_cents: t.pm.patient_payments_tos_cents,
        deposits: t.bank.deposits,
        deposits_cents: t.bank.deposits_cents,
        claims_rejected_999: t.clearinghouse.claims_rejected_999,
        claims_rejected_277ca: t.clearinghouse.claims_rejected_277ca,
      };
      for (const [type, value] of Object.entries(t.pm.adjustments_cents))
        entry[`adjustments.${type}`] = value;
      expected.set(`${t.practice_id} ${t.month}`, entry);
    }
    // Months the manifest counts but no file mentions hold zeros; the files hold no month the manifest lacks.
    for (const key of actual.keys()) expect(expected.has(key), key).toBe(true);
    for (const [key, entry] of expected) {
      const got = actual.get(key) ?? {};
      const filled = Object.fromEntries(
        Object.keys({ ...entry, ...got }).map((name) => [name, got[name] ?? 0]),
      );
      const want = Object.fromEntries(Object.keys(filled).map((name) => [name, entry[name] ?? 0]));
      expect([key, filled]).toEqual([key, want]);
    }
    expect(manifest.totals.reduce((sum, t) => sum + t.pm.charge_lines, 0)).toBeGreaterThan(1000);
  });

  it('loads fee schedules with exact allowed amounts', async () => {
    const [row] = await rows(
      'select count(*) as n, count(distinct practice_id) as practices from raw.fee_schedules',
    );
    const records = manifest.files
      .filter((f) => f.path.includes('/contracts/'))
      .reduce((sum, f) => sum + f.records, 0);
    expect(row).toEqual({ n: String(records), practices: '3' });
  });
});
