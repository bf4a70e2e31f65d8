import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * The sample inbox through every layer: `rcm load` → `rcm transform` (a real dbt build with its data and unit
 * tests) → the mart the reports read. Figures are hand-checked from the files (test/fixtures/public-inbox/README.md): BPR02 945.00 +
 * 45.75 + 1222.00 = 2212.75 across 3 remittances; 7 claims whose CLP04 also sum to 2212.75.
 */
describe('sample inbox end to end', () => {
  const wh = tempWarehouse('e2e');
  const mart = `select practice_id, remittances, claims, total_paid::varchar, claims_paid::varchar, plb_total::varchar,
                       unbalanced_remittances
                from marts.remittance_summary order by practice_id`;

  beforeAll(() => {
    const load = runRcm(['load', 'test/fixtures/public-inbox/inbox', '--warehouse', wh.database]);
    expect(load.stderr).toBe('');
    expect(load.stdout).toContain('loaded 3, already loaded 0, quarantined 0');
    const dbt = runRcm(['transform', '--warehouse', wh.database]);
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
    expect(dbt.stdout).toMatch(/Completed successfully/);
  });
  afterAll(() => wh.remove());

  it('builds the remittance mart with the hand-checked totals', async () => {
    const { DuckDBInstance } = await import('@duckdb/node-api');
    const instance = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const rows = (await connection.runAndReadAll(mart)).getRows();
    connection.closeSync();
    instance.closeSync();
    expect(rows).toEqual([['P001', 3n, 7n, '2212.75', '2212.75', '0.00', 0n]]);
  });

  it('loading the same inbox again changes nothing', () => {
    const again = runRcm(['load', 'test/fixtures/public-inbox/inbox', '--warehouse', wh.database]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('loaded 0, already loaded 3, quarantined 0');
  });

  it("is readable by the exact @duckdb/node-api copy Evidence's DuckDB driver resolves", async () => {
    const driver = path.join(repoRoot, 'reports', 'node_modules', '@evidence-dev', 'duckdb', 'package.json');
    const resolved = createRequire(driver).resolve('@duckdb/node-api');
    const version = JSON.parse(readFileSync(path.join(resolved, '..', '..', 'package.json'), 'utf8')).version;
    const ours = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')).dependencies[
      '@duckdb/node-api'
    ];
    expect(version).toBe(ours);
    const api = await import(pathToFileURL(resolved).href);
    const instance = await api.DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    const engine = (await connection.runAndReadAll('select version()')).getRows()[0][0];
    const rows = (await connection.runAndReadAll(mart)).getRows();
    connection.closeSync();
    instance.closeSync();
    expect(engine).toBe('v1.4.5');
    expect(rows).toEqual([['P001', 3n, 7n, '2212.75', '2212.75', '0.00', 0n]]);
  });
});
