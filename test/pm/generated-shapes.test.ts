import { readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { readCsv } from '../generate/check.ts';
import { buildWarehouse, type Query } from '../helpers/built-warehouse.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { expectedKpiRows, KPI_ROWS_SQL } from '../helpers/manifest-marts.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * Three generated practices, one per real export shape: a signed transaction ledger (P001), CMS-1500-shaped
 * claim rows (P002) and OpenEMR's billing and ar_activity tables (P003). Every file is recognised by its header
 * alone, and after `rcm load` and the real dbt build kpi_monthly equals the generator's manifest to the cent.
 */
describe('generated practices in the txledger, cms1500 and openemr shapes', () => {
  const wh = tempWarehouse('pm-shapes');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let built: { query: Query; close: () => void };

  beforeAll(async () => {
    manifest = generatedInbox(inbox, {
      practices: 3,
      providers: 1,
      months: 2,
      dialects: ['txledger', 'cms1500', 'openemr'],
    });
    built = await buildWarehouse(wh.database, inbox, [
      '--',
      'build',
      '--select',
      '+kpi_monthly',
      '--exclude-resource-type',
      'test',
      'unit_test',
    ]);
  });
  afterAll(() => {
    built?.close();
    wh.remove();
  });

  it('detection reads each posting file with the profile of its shape', async () => {
    const rows = await built.query(`
      select f.practice_id, e.entity, e.profile, count(*)::integer
      from raw.pm_exports as e inner join raw.files as f using (file_id)
      where e.entity in ('charges', 'payments', 'adjustments')
      group by all order by 1, 2`);
    // one ledger a month (November to January: postings run past the last month of service)
    expect(rows).toEqual([
      ['P001', 'adjustments', 'txledger/adjustments', 3],
      ['P001', 'charges', 'txledger/charges', 3],
      ['P001', 'payments', 'txledger/payments', 3],
      ['P002', 'adjustments', 'ledger/adjustments', 3],
      ['P002', 'charges', 'cms1500/charges', 2],
      ['P002', 'payments', 'ledger/payments', 3],
      ['P003', 'adjustments', 'openemr/adjustments', 3],
      ['P003', 'charges', 'openemr/charges', 2],
      ['P003', 'payments', 'openemr/payments', 3],
    ]);
    expect(manifest.practices.map((p) => p.pm_dialect)).toEqual(['txledger', 'cms1500', 'openemr']);
  });

  it('kpi_monthly charges, payments and adjustments equal the manifest per practice and month', async () => {
    expect(manifest.totals.length).toBe(9);
    expect(await built.query(KPI_ROWS_SQL)).toEqual(expectedKpiRows(manifest));
  });

  it('every charge line arrives once, continued claim forms included', async () => {
    const expected = manifest.practices.map(({ practice_id }) => [
      practice_id,
      manifest.totals.filter((t) => t.practice_id === practice_id).reduce((s, t) => s + t.pm.charge_lines, 0),
    ]);
    const rows = await built.query(`
      select practice_id, count(*)::integer from raw.pm_charges group by 1 order by 1`);
    expect(rows).toEqual(expected);
    // a claim of more than six lines: its seventh line came from the form's second page
    const [[longest]] = (await built.query(
      `select max(line_number) from raw.pm_charges where practice_id = 'P002'`,
    )) as [[number]];
    expect(longest).toBeGreaterThan(6);
  });

  it("OpenEMR's voided postings and deleted billing rows are left out, counted by reason", async () => {
    // Counted in the files themselves: ar_activity rows with `deleted` set, billing rows with activity 0.
    const pm = path.join(inbox, 'P003', 'pm');
    const count = (prefix: string, column: string, test: (value: string) => boolean) =>
      readdirSync(pm)
        .filter((name) => name.startsWith(prefix))
        .reduce((n, name) => {
          const [header, ...body] = readCsv(path.join(pm, name));
          const index = (header as string[]).indexOf(column);
          return n + body.filter((row) => test(row[index] ?? '')).length;
        }, 0);
    const voided = count('ar_activity_', 'deleted', (value) => value !== '');
    const deleted = count('billing_', 'activity', (value) => value === '0');
    expect(voided).toBeGreaterThan(0);
    expect(deleted).toBeGreaterThan(0);
    const rows = await built.query(`
      select w.message like '%voided (deleted is set)',
             sum(cast(regexp_extract(w.message, '(\\d+) rows? left out', 1) as integer))::integer
      from raw.file_warnings as w inner join raw.files as f using (file_id)
      where f.practice_id = 'P003' and w.code = 'filtered_rows'
        and (w.message like '%voided (deleted is set)' or w.message like '%deleted (activity = 0)')
      group by 1 order by 1`);
    // each voided ar_activity row is left out of payments and of adjustments
    expect(rows).toEqual([
      [false, deleted],
      [true, 2 * voided],
    ]);
    // and each is stored with its line: the row of the file that holds the voided or deleted mark
    const stored = (await built.query(`
      select o.entity, o.line_no::integer, f.stored_path from raw.pm_left_out_rows as o
      inner join raw.files as f using (file_id)
      where o.practice_id = 'P003' and o.reason in ('voided (deleted is set)', 'deleted (activity = 0)')`)) as [
      string,
      number,
      string,
    ][];
    expect(stored.length).toBe(deleted + 2 * voided);
    for (const [entity, line, file] of stored) {
      const row = readCsv(file)[line - 1] as string[];
      expect([entity, line, entity === 'charges' ? row[7] : row[9] !== '']).toEqual([
        entity,
        line,
        entity === 'charges' ? '0' : true,
      ]);
    }
  });
});
