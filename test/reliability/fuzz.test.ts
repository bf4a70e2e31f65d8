import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate } from '../../etl/generate/index.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import {
  type CaseResult,
  MUTATIONS,
  pickSeeds,
  runCase,
  type SeedFile,
} from '../../scripts/reliability/fuzz-cases.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const CASES = Number(process.env.RCM_FUZZ_CASES ?? 2000);

/**
 * A CI-sized run of the fuzz drill (scripts/reliability/fuzz.ts runs 100,000+): mutated 835, 837P, 277CA, 999 and PM
 * CSV files with a fixed seed. No case may crash; every refused case is quarantined with a clear error naming
 * where in the file it broke; the warehouse stays consistent (no rows from refused files).
 */
describe('fuzzed input files', () => {
  const wh = tempWarehouse('fuzz');
  let seeds: SeedFile[];
  let warehouse: Warehouse;
  const results: CaseResult[] = [];

  beforeAll(async () => {
    const inbox = path.join(wh.dir, 'inbox');
    await generate({ outDir: inbox, practices: 1, providersPerPractice: 1, months: 1, emit837: true });
    seeds = pickSeeds(inbox, 2);
    warehouse = await openWarehouse(wh.database);
  });
  afterAll(() => {
    warehouse?.close();
    wh.remove();
  });

  it('the seeds cover every kind of input', () => {
    const extensions = new Set(seeds.map((s) => path.extname(s.name)));
    expect([...extensions].sort()).toEqual(['.277', '.835', '.837', '.999', '.csv']);
  });

  it(`${CASES} cases: none crashes, every refusal is explained with its place in the file`, async () => {
    for (let index = 0; index < CASES; index++) {
      results.push(await runCase(warehouse.connection, wh, path.join(wh.dir, 'scratch'), 'ci', index, seeds));
    }
    expect(
      results.filter((r) => r.unexplained).map((r) => `${r.index} ${r.mutation} ${r.name}: ${r.message}`),
    ).toEqual([]);
    const quarantined = results.filter((r) => r.status === 'quarantined');
    expect(quarantined.filter((r) => r.location === '' || r.location === 'file')).toEqual([]);
    // Every mutation was drawn, and both outcomes happen (a mutation can leave a file loadable).
    expect(new Set(results.map((r) => r.mutation)).size).toBe(MUTATIONS.length);
    expect(quarantined.length).toBeGreaterThan(CASES / 4);
    expect(results.some((r) => r.status === 'loaded')).toBe(true);
  }, 600_000);

  it('refused files left no rows behind', async () => {
    const [[orphans]] = (
      await warehouse.connection.runAndReadAll(
        `select count(*) from raw.pm_charges where file_id not in (select file_id from raw.files where status = 'loaded')`,
      )
    ).getRows() as [[bigint]];
    expect(orphans).toBe(0n);
  });
});
