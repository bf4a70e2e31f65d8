import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { canaryHits } from '../helpers/canary-scan.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * `rcm forget-patient` on a generated practice: the canary patient's rows leave raw and the marts, their
 * identifiers leave every kept copy, its own proof finds nothing — and no other patient loses anything.
 */
describe('forgetting one patient', () => {
  const wh = tempWarehouse('forget');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let forgotten: string;
  let kept: string;
  const valuesOf = (patientId: string) =>
    manifest.canaries.filter((c) => c.patient_id === patientId).map((c) => c.value);
  const count = async (sql: string) => {
    const warehouse = await openWarehouse(wh.database);
    try {
      return Number((await warehouse.connection.runAndReadAll(sql)).getRows()[0]?.[0]);
    } finally {
      warehouse.close();
    }
  };

  beforeAll(() => {
    manifest = generatedInbox(inbox, { practices: 1, providers: 1, months: 2 });
    const patients = [...new Set(manifest.canaries.map((c) => c.patient_id))];
    [forgotten, kept] = patients as [string, string];
    expect(runRcm(['load', inbox, '--warehouse', wh.database]).code).toBe(0);
    expect(runRcm(['transform', '--warehouse', wh.database]).code).toBe(0);
  });
  afterAll(() => wh.remove());

  it('deletes the patient everywhere, proves it, and leaves every other patient as they were', async () => {
    const archive = [wh.archiveDir, wh.quarantineDir];
    expect((await canaryHits(archive, valuesOf(forgotten))).length).toBeGreaterThan(0);
    const othersBefore = await count(
      `select count(*) from raw.pm_charges where patient_id <> '${forgotten}'`,
    );
    const keptHitsBefore = await canaryHits(archive, valuesOf(kept));
    expect(
      await count(`select count(*) from raw.pm_charges where patient_id = '${forgotten}'`),
    ).toBeGreaterThan(0);

    const result = runRcm([
      'forget-patient',
      '--practice',
      'P001',
      '--patient',
      forgotten,
      '--warehouse',
      wh.database,
    ]);
    expect(result.code, result.stdout + result.stderr).toBe(0);
    expect(result.stdout).toContain('nothing found');

    expect(await canaryHits(archive, valuesOf(forgotten))).toEqual([]);
    expect(await count(`select count(*) from raw.pm_charges where patient_id = '${forgotten}'`)).toBe(0);
    expect(await count(`select count(*) from raw.pm_patients where patient_id = '${forgotten}'`)).toBe(0);
    // Other patients keep every row, and their identifiers in the kept copies are untouched.
    expect(await count(`select count(*) from raw.pm_charges where patient_id <> '${forgotten}'`)).toBe(
      othersBefore,
    );
    expect(await canaryHits(archive, valuesOf(kept))).toEqual(keptHitsBefore);
  });

  it('an unknown patient is refused, naming them', () => {
    const result = runRcm([
      'forget-patient',
      '--practice',
      'P001',
      '--patient',
      'NO-SUCH',
      '--warehouse',
      wh.database,
    ]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain('no patient NO-SUCH');
  });
});
