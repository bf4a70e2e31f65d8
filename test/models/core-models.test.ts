import { createHash } from 'node:crypto';
import { copyFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { buildWarehouse, type Query } from '../helpers/built-warehouse.ts';
import { cents, expectedKpiRows, KPI_ROWS_SQL } from '../helpers/manifest-marts.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * Three generated practices (one per PM export dialect) through load and the real `dbt build`: the core marts
 * must equal the generator's manifest to the cent, and A/R as of a past month end must not depend on the files
 * that arrived after it.
 */
/** The PM staging tables a daily build recomputes by natural key (macros/pm_snapshot_incremental.sql). */
const PM_STAGING = ['stg_pm__charges', 'stg_pm__payments', 'stg_pm__adjustments'];
/** The tables a daily build recomputes by the claims their inputs logged (macros/claim_log_incremental.sql). */
const CLAIM_LOG = [
  'int_claim_lines',
  'int_claims',
  'int_remittance_lines',
  'int_claim_line_remittances',
  'int_remitted_line_contract_rates',
  'int_remittance_adjustments',
  'int_denials',
  'int_claim_lifecycle',
  'payments',
  'adjustments',
];
/** A claim-log table's schema-qualified name in the attached warehouse `db`. */
const claimLogTable = (db: string, model: string) =>
  `${db}.${model === 'payments' || model === 'adjustments' ? 'marts' : 'intermediate'}.${model}`;

/** The rows of one table not in the other, both ways (with repeats): [] when the two hold the same rows. */
async function tableDifference(rows: (sql: string) => Promise<unknown[][]>, a: string, b: string) {
  return rows(
    `(select * from ${a} except all select * from ${b}) union all (select * from ${b} except all select * from ${a})`,
  );
}

/** Two warehouse files attached read-only as `daily` and `refreshed` in one in-memory DuckDB. */
async function attachBoth(daily: string, refreshed: string) {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  await connection.run(`attach '${daily}' as daily (read_only)`);
  await connection.run(`attach '${refreshed}' as refreshed (read_only)`);
  return {
    rows: async (sql: string) => (await connection.runAndReadAll(sql)).getRows(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

describe('core models against the generator manifest', () => {
  const wh = tempWarehouse('core-models');
  const partial = tempWarehouse('core-models-partial');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let full: { query: Query; close: () => void };
  let upToDecember: { query: Query; close: () => void };

  beforeAll(async () => {
    // Small on purpose (two months, one provider each): the load and two dbt runs dominate the suite's time.
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '3',
      '--providers',
      '1',
      '--months',
      '2',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    manifest = JSON.parse(readFileSync(path.join(inbox, 'manifest.json'), 'utf8'));
    full = await buildWarehouse(wh.database, inbox);

    // The files a practice had on 2025-01-01 at 06:00, when December's monthly exports were written, plus the
    // master-data snapshots (dated at the as-of day, but a PM would have exported them earlier just the same).
    const partialInbox = path.join(partial.dir, 'inbox');
    const master = /\/pm\/(patients|providers|payers|locations)[^/]*\.csv$/;
    for (const file of manifest.files) {
      if (file.modified > '2025-01-01T06:00:00Z' && !master.test(`/${file.path}`)) continue;
      const target = path.join(partialInbox, file.path);
      mkdirSync(path.dirname(target), { recursive: true });
      copyFileSync(path.join(inbox, file.path), target);
    }
    // only the models A/R and the KPIs need, and the claim-log tables the daily run below compares: the full
    // build above already ran every test
    upToDecember = await buildWarehouse(partial.database, partialInbox, [
      '--',
      'build',
      '--select',
      '+ar_snapshots',
      '+ar_snapshot_lines',
      '+kpi_monthly',
      ...CLAIM_LOG.map((model) => `+${model}`),
      '--exclude-resource-type',
      'test',
      'unit_test',
    ]);
  });
  afterAll(() => {
    full?.close();
    upToDecember?.close();
    wh.remove();
    partial.remove();
  });

  it('kpi_monthly charges, payments and adjustments equal the manifest per practice and month', async () => {
    expect(manifest.totals.length).toBeGreaterThan(0);
    expect(await full.query(KPI_ROWS_SQL)).toEqual(expectedKpiRows(manifest));
  });

  it('adjustments per type and posting month equal the manifest', async () => {
    const expected = manifest.totals
      .flatMap((t) =>
        Object.entries(t.pm.adjustments_cents)
          .filter(([, v]) => v !== 0)
          .map(([type, v]) => [t.practice_id, t.month, type, cents(v)]),
      )
      .sort((a, b) => a.join('|').localeCompare(b.join('|')));
    const rows = await full.query(`
      select practice_id, strftime(posted_month, '%Y-%m'), adjustment_type, sum(amount)::varchar
      from marts.adjustments group by all having sum(amount) <> 0`);
    expect(expected.length).toBeGreaterThan(0);
    expect(rows.sort((a, b) => a.join('|').localeCompare(b.join('|')))).toEqual(expected);
  });

  it('A/R at the as-of date equals Σ charges − Σ payments − Σ adjustments of the PM exports', async () => {
    const expected = manifest.practices.map(({ practice_id }) => {
      const months = manifest.totals.filter((t) => t.practice_id === practice_id);
      const total = months.reduce((s, t) => {
        const adjustments = Object.values(t.pm.adjustments_cents).reduce((a, v) => a + v, 0);
        return s + t.pm.charges_cents - t.pm.payer_payments_cents - t.pm.patient_payments_cents - adjustments;
      }, 0);
      return [practice_id, cents(total)];
    });
    const rows = await full.query(`
      select practice_id, sum(balance)::varchar from marts.ar_snapshots where is_as_of_date group by 1 order by 1`);
    expect(rows).toEqual(expected);
    // kpi_monthly's last month ends on or after the as-of date: the same A/R
    const kpi = await full.query(`
      select practice_id, arg_max(ar_total, month)::varchar from marts.kpi_monthly group by 1 order by 1`);
    expect(kpi).toEqual(expected);
  });

  it("secondary payers' 835 claims and payments equal the manifest, and each moved A/R to the secondary first", async () => {
    const sum = (pick: (t: Manifest['totals'][number]) => number, practice: string) =>
      manifest.totals.filter((t) => t.practice_id === practice).reduce((s, t) => s + pick(t), 0);
    const expected = manifest.practices.map(({ practice_id: p }) => [
      p,
      BigInt(sum((t) => t.era.claims_crossover, p)),
      BigInt(sum((t) => t.era.claims_secondary, p)),
      cents(sum((t) => t.era.paid_secondary_cents, p)),
    ]);
    // the warehouse's count comes from the 835 claims as loaded (CLP02), not from anything the generator reports
    const rows = await full.query(`
      select practice_id,
             count(*) filter (where claim_status_code = '19'),
             count(*) filter (where claim_status_code = '2'),
             coalesce(sum(paid_amount) filter (where claim_status_code = '2'), 0)::varchar
      from staging.stg_era__claims group by 1 order by 1`);
    expect(rows).toEqual(expected);
    for (const [, crossovers, secondaries] of expected) {
      expect(crossovers).toBeGreaterThan(0n);
      expect(secondaries).toBeGreaterThan(0n);
    }
    // every claim a secondary remitted went to that secondary before the patient: the ledger holds its transfer
    const [[untransferred, withSecondary]] = (await full.query(`
      select count(*) filter (where transferred_to_secondary_date is null or secondary_payer_id is null),
             count(*)
      from marts.claims
      where claim_id in (select patient_control_number from staging.stg_era__claims where claim_status_code = '2')`)) as [
      [bigint, bigint],
    ];
    expect(withSecondary).toBeGreaterThan(0n);
    expect(untransferred).toBe(0n);
    // a secondary's remittance is never a denial (a crossover is one only when the primary denied a line of it)
    const [[secondaryDenials]] = (await full.query(`
      select count(*) from marts.denials where claim_status_code = '2'`)) as [[bigint]];
    expect(secondaryDenials).toBe(0n);
  });

  // December: the first month end with balances at the secondary (crossovers forwarded, not yet paid)
  it('A/R as of 2024-12-31 is the same built from the files up to then as from every file', async () => {
    const snapshot = `
      select practice_id, claim_id, current_payer_id, responsible_party, payer_level, service_date, first_submitted_date,
             balance::varchar, age_from_service_days, age_from_submission_days, aging_bucket
      from marts.ar_snapshots where snapshot_date = date '2024-12-31' order by 1, 2`;
    const fromAll = await full.query(snapshot);
    expect(fromAll.length).toBeGreaterThan(100);
    expect(fromAll.filter((row) => row[4] === 'secondary').length).toBeGreaterThan(0);
    expect(await upToDecember.query(snapshot)).toEqual(fromAll);
  });

  // the line split reads 835s too: one dated by the month end but posted after it must not move December's lines
  it('A/R by line as of 2024-12-31 is the same built from the files up to then as from every file', async () => {
    const snapshot = `
      select practice_id, claim_id, line_number, procedure_code, allocation_basis, line_open_amount::varchar,
             balance::varchar, claim_balance::varchar
      from marts.ar_snapshot_lines where snapshot_date = date '2024-12-31' order by 1, 2, 3`;
    const fromAll = await full.query(snapshot);
    expect(fromAll.length).toBeGreaterThan(100);
    // some lines were already paid or adjusted by then, so the split is not just by the charges
    const [[partlyOpen]] = (await full.query(`
      select count(*) from marts.ar_snapshot_lines
      where snapshot_date = date '2024-12-31' and line_open_amount < line_charge_amount`)) as [[bigint]];
    expect(partlyOpen).toBeGreaterThan(0n);
    expect(await upToDecember.query(snapshot)).toEqual(fromAll);
  });

  it("December's KPIs are the same built from the files up to then as from every file", async () => {
    const december = `
      select * exclude (month) replace (
        gross_charges::varchar as gross_charges, ar_total::varchar as ar_total,
        net_collection_rate_t90::varchar as net_collection_rate_t90, days_in_ar::varchar as days_in_ar)
      from marts.kpi_monthly where month = date '2024-12-01' order by practice_id`;
    const fromAll = await full.query(december);
    expect(fromAll.length).toBe(manifest.practices.length);
    expect(await upToDecember.query(december)).toEqual(fromAll);
  });

  it('every practice has a kpi_monthly row for every month of the manifest, companions included', async () => {
    const rows = await full.query(`
      select dimension, count(distinct practice_id), count(distinct month)
      from (select practice_id, 'practice' as dimension, month from marts.kpi_monthly
            union all select practice_id, dimension, month from marts.kpi_monthly_by_dimension)
      group by 1 order by 1`);
    const months = new Set(manifest.totals.map((t) => t.month)).size;
    const practices = BigInt(manifest.practices.length);
    expect(rows).toEqual(
      ['location', 'payer', 'practice', 'provider'].map((d) => [d, practices, BigInt(months)]),
    );
  });

  it('names claims by an account reference: one per PM account, keyed by the warehouse, never the account number', async () => {
    // Each claim's account number (PM patient_id, intermediate only) beside the reference the marts publish.
    const accounts = `
      select i.practice_id, i.claim_id, i.patient_id, c.account_ref
      from intermediate.int_claims i inner join marts.claims c using (practice_id, claim_id)
      order by all`;
    const rows = (await full.query(accounts)) as [string, string, string, string][];
    const [[claimCount]] = (await full.query('select count(*) from marts.claims')) as [[bigint]];
    expect(rows.length).toBe(Number(claimCount));
    expect(rows.length).toBeGreaterThan(100);
    for (const [, , , ref] of rows) expect(ref).toMatch(/^A-[0-9A-F]{12}$/);

    // Recomputed here with Node's MD5 from the warehouse's key: 'A-' + the first 12 hex digits, upper case, or the
    // next 12 when the first hold the account number.
    const [[key]] = (await full.query(
      "select key_value from raw.warehouse_keys where key_name = 'account_ref'",
    )) as [[string]];
    expect(key).toMatch(/^[0-9a-f]{64}$/);
    const expected = (practice: string, patient: string) => {
      const digest = createHash('md5').update(`${key}|${practice}|${patient}`).digest('hex').toUpperCase();
      const first = digest.slice(0, 12);
      return `A-${first.includes(patient.toUpperCase()) ? digest.slice(12, 24) : first}`;
    };
    expect(rows.filter(([p, , patient, ref]) => ref !== expected(p, patient))).toEqual([]);

    // Refs group claims exactly as account numbers do: as many references as accounts, one for one.
    const pairs = new Set(rows.map(([p, , patient, ref]) => `${p}|${patient}|${ref}`)).size;
    const patients = new Set(rows.map(([p, , patient]) => `${p}|${patient}`)).size;
    const refs = new Set(rows.map(([p, , , ref]) => `${p}|${ref}`)).size;
    expect({ refs, pairs }).toEqual({ refs: patients, pairs: patients });
    // Some account has several claims, so the grouping is exercised.
    expect(patients).toBeLessThan(rows.length);

    // No reference holds its own account number (six digits). Only its own: a reference is 12 random-looking hex
    // digits, so it holds some six-digit number of its practice by chance (7 places × 16⁻⁶ for each of a few
    // hundred accounts: roughly one run in ten, and a run did fail so); its own is ruled out by the macro (the
    // unit test claims_account_reference_groups_claims_by_account has a case). That the reference is the keyed
    // hash, so no function of the number alone, is checked above.
    const holding = rows
      .filter(([, , patient, ref]) => ref.includes(patient))
      .map(([p, , , ref]) => `${p}|${ref}`);
    expect(holding).toEqual([]);

    // The marts publish no account number: no mart has a patient_id column, and the worklist carries the
    // claims mart's reference.
    const [[patientColumns]] = (await full.query(`
      select count(*) from information_schema.columns
      where table_schema = 'marts'
        and column_name in ('patient_id', 'patient_account', 'account_number')`)) as [[bigint]];
    expect(patientColumns).toBe(0n);
    const [[worklistRows, worklistMismatches]] = (await full.query(`
      select count(*), count(*) filter (where w.account_ref is distinct from c.account_ref)
      from marts.worklist_ar w
      inner join marts.claims c using (practice_id, claim_id)`)) as [[bigint, bigint]];
    expect(worklistRows).toBeGreaterThan(0n);
    expect(worklistMismatches).toBe(0n);

    // Another warehouse loaded with (some of) the same files has its own random key, so other references for
    // the same accounts: the key is not derived from the data.
    const [[otherKey]] = (await upToDecember.query(
      "select key_value from raw.warehouse_keys where key_name = 'account_ref'",
    )) as [[string]];
    expect(otherKey).toMatch(/^[0-9a-f]{64}$/);
    expect(otherKey).not.toBe(key);
    const other = (await upToDecember.query(
      'select distinct practice_id, patient_id, account_ref from intermediate.int_claims',
    )) as [string, string, string][];
    const mine = new Map(rows.map(([p, , patient, ref]) => [`${p}|${patient}`, ref]));
    const shared = other.filter(([p, patient]) => mine.has(`${p}|${patient}`));
    expect(shared.length).toBeGreaterThan(10);
    expect(shared.filter(([p, patient, ref]) => mine.get(`${p}|${patient}`) === ref)).toEqual([]);
  });

  it('stores every amount and count in 64 bits: no table column is a HUGEINT or a DECIMAL wider than 18 digits', async () => {
    // A sum of DECIMAL(18,2) is DECIMAL(38,2) and a sum of integers HUGEINT; stored, DuckDB 1.4 reads such a column
    // about two hundred times slower than a 64-bit one (docs/benchmarks.md, "128-bit sums stored"), and every reader
    // of the table pays it. The incremental state's row-hash sums are 128-bit on purpose.
    type Column = [name: string, type: string];
    const columns = (await full.query(`
      select c.table_schema || '.' || c.table_name || '.' || c.column_name, c.data_type
      from information_schema.columns as c
      inner join information_schema.tables as t using (table_catalog, table_schema, table_name)
      where t.table_type = 'BASE TABLE'
        and not (c.table_schema = 'incremental_state' and c.column_name = 'kept_hash')`)) as Column[];
    expect(columns.length).toBeGreaterThan(500);
    const wide = columns.filter(([, type]) => {
      const decimal = /^DECIMAL\((\d+),/.exec(type);
      return type === 'HUGEINT' || type === 'UHUGEINT' || (decimal !== null && Number(decimal[1]) > 18);
    });
    expect(wide).toEqual([]);
  });

  it('the marts that are views on DuckDB resolve under another catalog name and fail on a null, as a table would', async () => {
    // claims, claim_lines, ar_snapshots and ar_snapshot_lines select the rows of an intermediate table, and
    // claim_fact_origins is a union of staging rows the report build reads once, so on DuckDB they are views
    // (docs/benchmarks.md); a view keeps no constraints, so a post-hook checks the contract's not_null ones.
    const [[views]] = (await full.query(`
      select string_agg(table_name, ',' order by table_name) from information_schema.tables
      where table_schema = 'marts' and table_type = 'VIEW'`)) as [[string]];
    expect(views).toBe('ar_snapshot_lines,ar_snapshots,claim_fact_origins,claim_lines,claims');

    const scratch = tempWarehouse('view-marts');
    try {
      const copy = scratch.database;
      copyFileSync(wh.database, copy);
      // Attached as "other", the views still read their own file's intermediate tables.
      const instance = await DuckDBInstance.create(':memory:');
      const connection = await instance.connect();
      await connection.run(`attach '${copy}' as other`);
      const count = async (sql: string) => {
        const [[rows]] = (await connection.runAndReadAll(sql)).getRows() as [[bigint]];
        return Number(rows);
      };
      for (const [mart, table] of [
        ['claims', 'int_claim_lifecycle'],
        ['claim_lines', 'int_claim_line_remittances'],
        ['ar_snapshots', 'int_ar_snapshots'],
        // a join: every line of the split finds its claim's snapshot row
        ['ar_snapshot_lines', 'int_ar_snapshot_lines'],
      ]) {
        const rows = await count(`select count(*) from other.marts.${mart}`);
        expect(rows).toBeGreaterThan(0);
        expect(rows).toBe(await count(`select count(*) from other.intermediate.${table}`));
      }
      // A union of staging rows: one row per PM row, 835 claim and claim-level 277CA status, none doubled by the
      // join that names its file.
      const facts = await count('select count(*) from other.marts.claim_fact_origins');
      expect(facts).toBeGreaterThan(0);
      expect(facts).toBe(
        await count(`select
          (select count(*) from other.staging.stg_pm__charges)
          + (select count(*) from other.staging.stg_pm__payments)
          + (select count(*) from other.staging.stg_pm__adjustments)
          + (select count(*) from other.staging.stg_clearinghouse__rejections)
          + (select count(*) from other.staging.stg_era__claims)
          + (select count(*) from other.staging.stg_clearinghouse__277ca_statuses where status_level = 'claim')`),
      );
      await connection.run(`
        update other.intermediate.int_claim_lifecycle set is_self_pay = null
        where claim_id = (select min(claim_id) from other.intermediate.int_claim_lifecycle)`);
      connection.closeSync();
      instance.closeSync();

      const rebuilt = runRcm(['transform', '--warehouse', copy, '--', 'run', '--select', 'claims']);
      expect(rebuilt.code).not.toBe(0);
      expect(rebuilt.stdout + rebuilt.stderr).toMatch(
        /not_null constraint violated in \S*claims\S*: is_self_pay/,
      );
    } finally {
      scratch.remove();
    }
  });

  // Last: it loads the rest of the files into the December warehouse, which the tests above read as it was.
  it('a run after more files arrive recomputes only the changed claims of the ledger and the A/R line split, equal to a full refresh', async () => {
    upToDecember.close();
    const load = runRcm(['load', inbox, '--warehouse', partial.database]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    const daily = runRcm(['transform', '--warehouse', partial.database]);
    expect(daily.code, daily.stdout + daily.stderr).toBe(0);

    // the same warehouse with both models rebuilt from scratch
    const incrementalModels = ['int_claim_ledger', 'int_ar_snapshot_lines'];
    const scratch = tempWarehouse('incremental-refresh');
    try {
      copyFileSync(partial.database, scratch.database);
      const build = (...args: string[]) =>
        runRcm(['transform', '--warehouse', scratch.database, '--', 'run', '--select', ...args]);
      const refresh = build(...incrementalModels, ...PM_STAGING, ...CLAIM_LOG, '--full-refresh');
      expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);

      const { rows, close } = await attachBoth(partial.database, scratch.database);
      let splitRows = 0n;
      for (const model of incrementalModels) {
        const state = (db: string) => `
          select mode, claims, claims_recomputed, dates_recomputed from ${db}.incremental_state.${model}__run`;
        const [[mode, claims, recomputed, dates]] = (await rows(state('daily'))) as [
          [string, bigint, bigint, bigint],
        ];
        // incremental, and neither everything nor nothing: January's files pay December's claims and add January's
        expect(mode, model).toBe('incremental');
        expect(recomputed, model).toBeGreaterThan(0n);
        expect(recomputed, model).toBeLessThan(claims);
        // the split: January's month end and the new as-of date, for each of the three practices; the ledger has
        // no dates
        if (model === 'int_ar_snapshot_lines') expect(dates).toBeGreaterThanOrEqual(6n);
        else expect(dates, model).toBe(0n);
        expect(((await rows(state('refreshed'))) as [[string]])[0][0], model).toBe('rebuild');

        const table = (db: string) => `${db}.intermediate.${model}`;
        const [[total]] = (await rows(`select count(*) from ${table('refreshed')}`)) as [[bigint]];
        expect(total, model).toBeGreaterThan(1000n);
        expect(await rows(`select count(*) from ${table('daily')}`), model).toEqual([[total]]);
        for (const [a, b] of [
          ['daily', 'refreshed'],
          ['refreshed', 'daily'],
        ] as const) {
          expect(await rows(`select * from ${table(a)} except all select * from ${table(b)}`), model).toEqual(
            [],
          );
        }
        if (model === 'int_ar_snapshot_lines') splitRows = total;
      }
      // PM staging: January's exports list new keys only (no December date is covered again), so the keys
      // recomputed are some, not all (none of the charges: the period ends in December, and January's files
      // post payments and adjustments on its claims), and the tables equal the full refresh
      for (const model of PM_STAGING) {
        const state = (db: string) =>
          `select mode, rows, keys_recomputed from ${db}.incremental_state.${model}__run`;
        const [[mode, total, recomputed]] = (await rows(state('daily'))) as [[string, bigint, bigint]];
        expect(mode, model).toBe('incremental');
        if (model === 'stg_pm__charges') expect(recomputed, model).toBe(0n);
        else expect(recomputed, model).toBeGreaterThan(0n);
        expect(recomputed, model).toBeLessThan(total);
        expect(((await rows(state('refreshed'))) as [[string]])[0][0], model).toBe('rebuild');
        expect(
          await tableDifference(rows, `daily.staging.${model}`, `refreshed.staging.${model}`),
          model,
        ).toEqual([]);
      }
      // the claim-log tables: the claims of the new 835s and of the new PM postings recomputed; no charge changed,
      // so no claim line or claim. The fee schedules arrive with January's files (dated at the as-of day): a global
      // input of the contract rates changed, which rebuilds them.
      const [[claimCount]] = (await rows('select count(*) from daily.intermediate.int_claims')) as [[bigint]];
      for (const model of CLAIM_LOG) {
        const state = (db: string) =>
          `select mode, rows, claims_recomputed from ${db}.incremental_state.${model}__run`;
        const [[mode, total, recomputed]] = (await rows(state('daily'))) as [[string, bigint, bigint]];
        if (model === 'int_remitted_line_contract_rates') expect(mode, model).toBe('rebuild');
        else {
          expect(mode, model).toBe('incremental');
          if (model === 'int_claim_lines' || model === 'int_claims') expect(recomputed, model).toBe(0n);
          else expect(recomputed, model).toBeGreaterThan(0n);
          expect(recomputed, model).toBeLessThan(claimCount);
        }
        expect(total, model).toBeGreaterThan(0n);
        expect(((await rows(state('refreshed'))) as [[string]])[0][0], model).toBe('rebuild');
        expect(
          await tableDifference(rows, claimLogTable('daily', model), claimLogTable('refreshed', model)),
          model,
        ).toEqual([]);
      }
      // a log keeps claims only where a model reads it: the remittance lines' (read by five models), not the payments mart's
      expect(
        await rows(`
          select (select count(*) from daily.incremental_state.int_remittance_lines__log) > 0,
            (select count(*) from daily.incremental_state.payments__log)`),
      ).toEqual([[true, 0n]]);
      close();

      // The daily warehouse under another file name (a restored backup, a moved warehouse), whose catalog is that
      // name: the same warehouse with nothing new, so both models compare fingerprints, find nothing new in the
      // logs they follow and recompute no claim.
      const renamed = path.join(scratch.dir, 'renamed.duckdb');
      copyFileSync(partial.database, renamed);
      const again = runRcm([
        'transform',
        '--warehouse',
        renamed,
        '--',
        'run',
        '--select',
        ...incrementalModels,
      ]);
      expect(again.code, again.stdout + again.stderr).toBe(0);
      const moved = await DuckDBInstance.create(renamed, { access_mode: 'READ_ONLY' });
      const movedConnection = await moved.connect();
      for (const model of incrementalModels) {
        const [[mode, recomputed]] = (
          await movedConnection.runAndReadAll(
            `select mode, claims_recomputed from incremental_state.${model}__run`,
          )
        ).getRows() as [[string, bigint]];
        expect([mode, recomputed], model).toEqual(['incremental', 0n]);
      }
      movedConnection.closeSync();
      moved.closeSync();

      // A warehouse of an earlier version held the split as a view (docs/benchmarks.md): it becomes the table.
      const old = await DuckDBInstance.create(scratch.database);
      const oldConnection = await old.connect();
      await oldConnection.run(`
        create or replace table intermediate.kept_split as select * from intermediate.int_ar_snapshot_lines;
        drop table intermediate.int_ar_snapshot_lines;
        create view intermediate.int_ar_snapshot_lines as select * from intermediate.kept_split;
        drop schema incremental_state cascade`);
      oldConnection.closeSync();
      old.closeSync();
      const upgraded = build('int_ar_snapshot_lines');
      expect(upgraded.code, upgraded.stdout + upgraded.stderr).toBe(0);
      const check = await DuckDBInstance.create(scratch.database, { access_mode: 'READ_ONLY' });
      const checkConnection = await check.connect();
      expect(
        (
          await checkConnection.runAndReadAll(`
            select table_type, (select count(*) from intermediate.int_ar_snapshot_lines)
            from information_schema.tables
            where table_schema = 'intermediate' and table_name = 'int_ar_snapshot_lines'`)
        ).getRows(),
      ).toEqual([['BASE TABLE', splitRows]]);
      checkConnection.closeSync();
      check.closeSync();

      // A claim whose only change is the line a PM adjustment was posted to, in a file the PM exported again: of the
      // split's inputs only the ledger changes (the claim's balance does not). The ledger follows the adjustments'
      // claim log, which names every claim of the rows the file replaced; of those, only this claim's events come
      // out different, so the ledger's own log names it alone and the split, which follows that log, recomputes
      // it alone. The state and logs dropped above are built again first.
      const models = ['int_claim_ledger', 'int_ar_snapshots', 'int_ar_snapshot_lines'];
      const stateBuilt = build(
        ...PM_STAGING,
        'int_claim_lines',
        'int_claims',
        'int_remittance_lines',
        ...models,
      );
      expect(stateBuilt.code, stateBuilt.stdout + stateBuilt.stderr).toBe(0);
      const edit = await DuckDBInstance.create(scratch.database, { access_mode: 'READ_ONLY' });
      const editConnection = await edit.connect();
      const [[practice, claimId, otherLine, sourcePath, lineNo]] = (
        await editConnection.runAndReadAll(`
          select adjustments.practice_id, adjustments.claim_id, max(lines.line_number), files.source_path,
              adjustments.line_no
          from staging.stg_pm__adjustments as adjustments
          inner join intermediate.int_claim_lines as lines
              on lines.practice_id = adjustments.practice_id and lines.claim_id = adjustments.claim_id
              and lines.line_number <> adjustments.line_number
          inner join raw.files as files on files.file_id = adjustments.file_id
          -- the first practice's PM names its columns as the rewrite below reads them
          where adjustments.amount > 0 and adjustments.practice_id = 'P001'
          group by all
          order by min(adjustments.posted_date), 1, 2, 4, 5
          limit 1`)
      ).getRows() as [[string, string, number, string, bigint]];
      editConnection.closeSync();
      edit.closeSync();
      const [adjustmentHeader = '', ...adjustmentLines] = readFileSync(sourcePath, 'utf8').split('\n');
      const adjustmentColumns = adjustmentHeader.split(',');
      const claimAt = adjustmentColumns.indexOf('claim_id');
      const movedRow = (adjustmentLines[Number(lineNo) - 2] ?? '').split(',');
      expect(movedRow[claimAt]).toBe(claimId);
      movedRow[adjustmentColumns.indexOf('line_number')] = String(otherLine);
      adjustmentLines[Number(lineNo) - 2] = movedRow.join(',');
      const movedFolder = path.join(scratch.dir, 'moved-adjustment');
      const movedFile = path.join(movedFolder, practice, 'pm', path.basename(sourcePath));
      mkdirSync(path.dirname(movedFile), { recursive: true });
      writeFileSync(movedFile, [adjustmentHeader, ...adjustmentLines].join('\n'));
      const movedLoad = runRcm(['load', movedFolder, '--warehouse', scratch.database]);
      expect(movedLoad.code, movedLoad.stdout + movedLoad.stderr).toBe(0);
      const ledgerOnly = build(...PM_STAGING, ...models);
      expect(ledgerOnly.code, ledgerOnly.stdout + ledgerOnly.stderr).toBe(0);
      const fingerprint = async () => {
        const db = await DuckDBInstance.create(scratch.database, { access_mode: 'READ_ONLY' });
        const dbConnection = await db.connect();
        const read = async (sql: string) => (await dbConnection.runAndReadAll(sql)).getRows();
        const runs = await read(`
          select model, mode, claims_recomputed from (
              select 'int_claim_ledger' as model, * from incremental_state.int_claim_ledger__run
              union all by name
              select 'int_ar_snapshot_lines' as model, * from incremental_state.int_ar_snapshot_lines__run)
          order by model`);
        const [[table, ledger]] = (await read(`
          select
              (select sum(hash(t))::varchar || ':' || count(*) from intermediate.int_ar_snapshot_lines as t),
              (select sum(hash(t))::varchar || ':' || count(*) from intermediate.int_claim_ledger as t)`)) as [
          [string, string],
        ];
        const ledgerLog = await read(`
          select practice_id, claim_id from incremental_state.int_claim_ledger__log
          where build_seq = (select max(build_seq) from incremental_state.int_claim_ledger__builds)`);
        dbConnection.closeSync();
        db.closeSync();
        return { runs, table, ledger, ledgerLog };
      };
      const incremental = await fingerprint();
      // the ledger: the claims of the file's rows (each claim listed in it), one of which changed; the split: that one
      const fileClaims = new Set(
        adjustmentLines.filter((line) => line.trim() !== '').map((line) => line.split(',')[claimAt]),
      );
      expect(fileClaims.size).toBeGreaterThan(1);
      expect(incremental.runs).toEqual([
        ['int_ar_snapshot_lines', 'incremental', 1n],
        ['int_claim_ledger', 'incremental', BigInt(fileClaims.size)],
      ]);
      expect(incremental.ledgerLog).toEqual([[practice, claimId]]);
      const rebuilt = build('int_ar_snapshot_lines', '--full-refresh');
      expect(rebuilt.code, rebuilt.stdout + rebuilt.stderr).toBe(0);
      expect((await fingerprint()).table).toBe(incremental.table);

      // An input that keeps no claim log the model can follow is fingerprinted per claim over the columns the model
      // reads of it, as DuckDB's plan of the model says. Read off the split's SQL by hand: of the remittance lines
      // (read by the matched claim, while their log names the 835's claim), it takes the id, practice, matched claim
      // and line, the two dates, the paid amount and the match method; line_control_number counts too, because
      // the filter on the match method names it as a value. The inputs with a log are followed, and the views the
      // ledger reads are hashed whole. A change to a column the split does not read (the procedure code of a
      // remittance line, made in place, so no log names it) recomputes nothing.
      const stateOf = async (model: string) => {
        const db = await DuckDBInstance.create(scratch.database, { access_mode: 'READ_ONLY' });
        const dbConnection = await db.connect();
        const [[columns]] = (
          await dbConnection.runAndReadAll(`select input_columns from incremental_state.${model}__run`)
        ).getRows() as [[string]];
        dbConnection.closeSync();
        db.closeSync();
        return columns.split('; ');
      };
      const ledgerColumns = await stateOf('int_claim_ledger');
      for (const followed of ['int_claim_lines', 'int_claims', 'stg_pm__payments', 'stg_pm__adjustments']) {
        expect(ledgerColumns).toContain(`${followed}: (claim log)`);
      }
      expect(ledgerColumns).toContain('int_remittance_lines: (claim log)');
      expect(ledgerColumns).toContain('stg_pm__transfers: (whole rows)');
      const splitColumns = await stateOf('int_ar_snapshot_lines');
      expect(splitColumns).toContain('int_claim_ledger: (claim log)');
      expect(splitColumns).toContain('int_claim_lines: (claim log)');
      expect(splitColumns).toContain(
        'int_remittance_lines: practice_id, line_control_number, paid_amount, payment_date, production_date, remittance_line_id, matched_claim_id, matched_line_number, match_method',
      );
      const cptEdit = await DuckDBInstance.create(scratch.database);
      const cptConnection = await cptEdit.connect();
      const [[cptPractice, cptClaim]] = (
        await cptConnection.runAndReadAll(`
          select practice_id, matched_claim_id from intermediate.int_remittance_lines
          where match_method in ('line_control_number', 'claim_procedure_date_charge') and paid_amount <> 0
              and procedure_code <> '0000T'
          order by practice_id, matched_claim_id limit 1`)
      ).getRows() as [[string, string]];
      await cptConnection.run(`
        update intermediate.int_remittance_lines set procedure_code = '0000T'
        where practice_id = '${cptPractice}' and matched_claim_id = '${cptClaim}'`);
      cptConnection.closeSync();
      cptEdit.closeSync();
      const cptOnly = build(...models);
      expect(cptOnly.code, cptOnly.stdout + cptOnly.stderr).toBe(0);
      const afterCpt = await fingerprint();
      expect(afterCpt.runs).toEqual([
        ['int_ar_snapshot_lines', 'incremental', 0n],
        ['int_claim_ledger', 'incremental', 0n],
      ]);
      expect(afterCpt.table).toBe(incremental.table);
      // and both are what a full rebuild of the edited warehouse gives
      const refreshedAfterCpt = build(...incrementalModels, '--full-refresh');
      expect(refreshedAfterCpt.code, refreshedAfterCpt.stdout + refreshedAfterCpt.stderr).toBe(0);
      const rebuiltAfterCpt = await fingerprint();
      expect(rebuiltAfterCpt.table).toBe(afterCpt.table);
      expect(rebuiltAfterCpt.ledger).toBe(afterCpt.ledger);
    } finally {
      scratch.remove();
    }
    // a load and eight dbt runs one after another: 78 s alone, 117 s beside the rest of the suite
  }, 300_000);

  // After the test above: the daily warehouse holds the state of the PM staging tables.
  it('PM staging after a re-export that drops a payment and corrects another recomputes those keys alone, equal to a full refresh', async () => {
    const scratch = tempWarehouse('pm-staging-incremental');
    const refreshed = tempWarehouse('pm-staging-refreshed');
    try {
      copyFileSync(partial.database, scratch.database);
      // December's payments of the first practice exported again: one payment gone (deleted in the PM), the
      // amount of another corrected
      const december = manifest.files.find((file) => /^P001\/pm\/payments_2024-?12\.csv$/.test(file.path));
      expect(december).toBeDefined();
      const [header = '', ...lines] = readFileSync(path.join(inbox, december?.path ?? ''), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const columns = header.split(',');
      const [id, amount] = [columns.indexOf('payment_id'), columns.indexOf('amount')];
      expect(lines.length).toBeGreaterThan(10);
      const dropped = (lines[4] ?? '').split(',');
      const corrected = (lines[5] ?? '').split(',');
      const newAmount = (Number(corrected[amount]) + 1).toFixed(2);
      corrected[amount] = newAmount;
      const reexport = [header, ...lines.slice(0, 4), corrected.join(','), ...lines.slice(6)].join('\n');
      const folder = path.join(scratch.dir, 'reexport');
      mkdirSync(path.join(folder, 'P001', 'pm'), { recursive: true });
      writeFileSync(path.join(folder, december?.path ?? ''), `${reexport}\n`);
      // and December's charges, one line's charge corrected: the lines of every claim the re-export lists are
      // recomputed, and of what is built from them only that claim's
      const charges = manifest.files.find((file) => /^P001\/pm\/charges_2024-?12\.csv$/.test(file.path));
      expect(charges).toBeDefined();
      const [chargeHeader = '', ...chargeLines] = readFileSync(path.join(inbox, charges?.path ?? ''), 'utf8')
        .split('\n')
        .filter((line) => line.trim() !== '');
      const chargeColumns = chargeHeader.split(',');
      const recharged = (chargeLines[2] ?? '').split(',');
      const chargeAt = chargeColumns.indexOf('charge_amount');
      recharged[chargeAt] = (Number(recharged[chargeAt]) + 5).toFixed(2);
      chargeLines[2] = recharged.join(',');
      writeFileSync(path.join(folder, charges?.path ?? ''), `${[chargeHeader, ...chargeLines].join('\n')}\n`);
      const load = runRcm(['load', folder, '--warehouse', scratch.database]);
      expect(load.code, load.stdout + load.stderr).toBe(0);

      const build = (database: string, ...args: string[]) =>
        runRcm([
          'transform',
          '--warehouse',
          database,
          '--',
          'run',
          '--select',
          ...PM_STAGING,
          'int_claim_ledger',
          ...CLAIM_LOG,
          ...args,
        ]);
      const daily = build(scratch.database);
      expect(daily.code, daily.stdout + daily.stderr).toBe(0);
      copyFileSync(scratch.database, refreshed.database);
      const refresh = build(refreshed.database, '--full-refresh');
      expect(refresh.code, refresh.stdout + refresh.stderr).toBe(0);

      const { rows, close } = await attachBoth(scratch.database, refreshed.database);
      const runs = async () =>
        rows(`select model, mode, keys_recomputed from (
            ${PM_STAGING.map((model) => `select '${model}' as model, * from daily.incremental_state.${model}__run`).join(' union all ')})
          order by model`);
      // the payments the re-export lists and the one it dropped recomputed (and any other of the month it covers);
      // nothing new for the others
      const [payments] = (await rows(`
        select keys_recomputed, rows from daily.incremental_state.stg_pm__payments__run`)) as [
        [bigint, bigint],
      ];
      expect(payments?.[0]).toBeGreaterThanOrEqual(BigInt(lines.length));
      expect(payments?.[0]).toBeLessThan(payments?.[1] ?? 0n);
      const [[chargeKeys]] = (await rows(`
        select keys_recomputed from daily.incremental_state.stg_pm__charges__run`)) as [[bigint]];
      expect(chargeKeys).toBeGreaterThanOrEqual(BigInt(chargeLines.length));
      expect(await runs()).toEqual([
        ['stg_pm__adjustments', 'incremental', 0n],
        ['stg_pm__charges', 'incremental', chargeKeys],
        ['stg_pm__payments', 'incremental', payments?.[0]],
      ]);
      // the claims of the charges re-exported (and of any other charge of the month it covers), not all; the
      // corrected charge in its claim's total
      const [[monthClaims, claimsTotal]] = (await rows(`
        select count(distinct claim_id), (select count(*) from daily.intermediate.int_claims)
        from daily.staging.stg_pm__charges where practice_id = 'P001' and file_id = (
          select max(file_id) from daily.staging.stg_pm__charges where practice_id = 'P001')`)) as [
        [bigint, bigint],
      ];
      const recomputed = await rows(`
        select claims_recomputed from daily.incremental_state.int_claim_lines__run
        union all select claims_recomputed from daily.incremental_state.int_claims__run`);
      expect(recomputed[0]?.[0] as bigint).toBeGreaterThanOrEqual(monthClaims);
      expect(recomputed[0]?.[0] as bigint).toBeLessThan(claimsTotal);
      expect(monthClaims).toBeLessThan(claimsTotal);
      // of those claims' lines, only the corrected one's come out different: int_claim_lines logs that claim alone,
      // and int_claims, which follows the log, recomputes it alone
      const claimId = recharged[chargeColumns.indexOf('claim_id')];
      expect(
        await rows(`select practice_id, claim_id from daily.incremental_state.int_claim_lines__log
          where build_seq = (select max(build_seq) from daily.incremental_state.int_claim_lines__builds)`),
      ).toEqual([['P001', claimId]]);
      expect(recomputed[1]).toEqual([1n]);
      for (const model of CLAIM_LOG) {
        expect(await rows(`select mode from daily.incremental_state.${model}__run`), model).toEqual([
          ['incremental'],
        ]);
        expect(
          await tableDifference(rows, claimLogTable('daily', model), claimLogTable('refreshed', model)),
          model,
        ).toEqual([]);
      }
      const [[fullTotal, rebuiltTotal]] = (await rows(`
        select (select sum(charge_amount) from refreshed.staging.stg_pm__charges
                where practice_id = 'P001' and claim_id = '${claimId}'),
            (select charge_amount from daily.intermediate.int_claims
                where practice_id = 'P001' and claim_id = '${claimId}')`)) as [[unknown, unknown]];
      expect(String(rebuiltTotal)).toBe(String(fullTotal));
      // in staging, and in the payments mart through the ledger's log: the dropped payment gone, the corrected
      // amount in
      for (const table of ['daily.staging.stg_pm__payments', 'daily.marts.payments']) {
        expect(
          await rows(
            `select count(*) from ${table} where practice_id = 'P001' and payment_id = '${dropped[id]}'`,
          ),
          table,
        ).toEqual([[0n]]);
        expect(
          await rows(`select amount::varchar from ${table}
            where practice_id = 'P001' and payment_id = '${corrected[id]}'`),
          table,
        ).toEqual([[newAmount]]);
      }
      for (const model of PM_STAGING) {
        expect(
          await tableDifference(rows, `daily.staging.${model}`, `refreshed.staging.${model}`),
          model,
        ).toEqual([]);
      }
      close();

      // Rows deleted from raw (as forgetting a patient deletes them) change a loaded file's row count: the table is
      // rebuilt, not patched
      const edit = await DuckDBInstance.create(scratch.database);
      const editConnection = await edit.connect();
      await editConnection.run(`
        delete from raw.pm_adjustments
        where (file_id, line_no) = (select (file_id, line_no) from raw.pm_adjustments order by file_id, line_no limit 1);
        delete from raw.era_claims
        where (file_id, segment_no) = (select (file_id, segment_no) from raw.era_claims order by file_id, segment_no limit 1)`);
      editConnection.closeSync();
      edit.closeSync();
      const afterDelete = build(scratch.database);
      expect(afterDelete.code, afterDelete.stdout + afterDelete.stderr).toBe(0);
      const check = await DuckDBInstance.create(scratch.database, { access_mode: 'READ_ONLY' });
      const checkConnection = await check.connect();
      expect(
        (
          await checkConnection.runAndReadAll(`
            select mode from incremental_state.stg_pm__adjustments__run
            union all select mode from incremental_state.stg_pm__payments__run
            union all select mode from incremental_state.int_remittance_lines__run
            union all select mode from incremental_state.int_claim_lines__run`)
        ).getRows(),
      ).toEqual([['rebuild'], ['incremental'], ['rebuild'], ['incremental']]);
      checkConnection.closeSync();
      check.closeSync();
    } finally {
      scratch.remove();
      refreshed.remove();
    }
  }, 300_000);
});
