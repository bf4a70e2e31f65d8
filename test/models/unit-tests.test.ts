import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

interface RunResults {
  results: { unique_id: string; status: string }[];
}

interface Manifest {
  nodes: Record<string, { resource_type: string; name: string; original_file_path: string }>;
  unit_tests: Record<string, { model: string }>;
}

/** Marts that only rename, cast or filter one model whose own unit tests cover the logic. */
const PROJECTIONS: Record<string, string> = {
  denials: 'int_denials',
  rejections: 'int_rejections',
  practice_kpi_targets: 'int_kpi_targets',
  quarantined_files: 'stg_warehouse__files (the quarantined rows)',
  claims: 'int_claim_lifecycle',
  claim_lines: 'int_claim_line_remittances',
  underpayments: 'int_underpayments',
  underpayment_claims: 'int_underpayment_claims',
};

/**
 * dbt's unit tests check every model's SQL on hand-computed fixtures; they do not read the practice's data, so the
 * daily build leaves them out and they run here once, on an empty warehouse (the models need their input
 * relations to exist, not rows in them).
 */
describe('dbt unit tests', () => {
  const wh = tempWarehouse('unit-tests');
  afterAll(() => wh.remove());

  it('every unit test passes, and the daily build runs none of them', () => {
    expect(runRcm(['init', '--warehouse', wh.database]).code).toBe(0);
    const target = path.join(wh.dir, 'target');
    const resultsOf = (): RunResults['results'] =>
      (JSON.parse(readFileSync(path.join(target, 'run_results.json'), 'utf8')) as RunResults).results;
    const unitTests = (results: RunResults['results']) =>
      results.filter((r) => r.unique_id.startsWith('unit_test.'));

    const full = runRcm(['transform', '--warehouse', wh.database, '--', 'build', '--target-path', target]);
    expect(full.code, full.stdout + full.stderr).toBe(0);
    const all = unitTests(resultsOf());
    // one per formula at least: the KPI, claims, denials, payer, reconciliation and settings fixtures
    expect(all.length).toBeGreaterThanOrEqual(55);
    expect(all.filter((r) => r.status !== 'pass')).toEqual([]);

    // every mart's SQL is checked on a hand-computed fixture of its own, or is a projection named above
    const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8')) as Manifest;
    const tested = new Set(Object.values(manifest.unit_tests).map((test) => test.model));
    const untested = Object.values(manifest.nodes)
      .filter((node) => node.resource_type === 'model' && node.original_file_path.startsWith('models/marts/'))
      .map((node) => node.name)
      .filter((name) => !tested.has(name) && !(name in PROJECTIONS));
    expect(untested).toEqual([]);

    const dailyOnly = runRcm(['transform', '--warehouse', wh.database], { DBT_TARGET_PATH: target });
    expect(dailyOnly.code, dailyOnly.stdout + dailyOnly.stderr).toBe(0);
    const results = resultsOf();
    expect(unitTests(results)).toEqual([]);
    expect(results.some((r) => r.unique_id.startsWith('model.'))).toBe(true);
  }, 600_000); // two dbt builds, on a machine busy with the rest of the suite
});
