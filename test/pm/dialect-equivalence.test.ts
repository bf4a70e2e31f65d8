import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PM_DIALECTS, PM_ENTITIES } from '../../etl/generate/dialects.ts';
import { generate } from '../../etl/generate/index.ts';
import { listInbox, loadInboxFiles } from '../../etl/load/inbox.ts';
import { CANONICAL } from '../../etl/pm/canonical.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * The same generated practice (same seed) written in each PM dialect loads into identical canonical rows:
 * dates, date-times, flags, amounts, ICD-10 dots and CPT/modifier splits all read back to the same values.
 */
describe('one practice, three PM dialects, the same warehouse rows', () => {
  const out = mkdtempSync(path.join(tmpdir(), 'rcm-pm-dialects-'));
  const wh = tempWarehouse('pm-dialects');
  let warehouse: Warehouse;
  const dialects = ['canonical', 'ledger', 'compact'] as const;

  beforeAll(async () => {
    warehouse = await openWarehouse(wh.database);
    for (const dialect of dialects) {
      const dir = path.join(out, dialect);
      await generate({
        outDir: dir,
        practices: 1,
        providersPerPractice: 1,
        months: 1,
        visitsPerProviderDay: 3,
        seed: 'dialects',
        dialects: [dialect],
      });
      const files = listInbox(dir)
        .filter((file) => file.filePath.includes(`${path.sep}pm${path.sep}`))
        .map((file) => ({ ...file, practiceId: dialect.toUpperCase() }));
      const outcomes = await loadInboxFiles(warehouse.connection, wh, files);
      expect(outcomes.filter((o) => o.status !== 'loaded')).toEqual([]);
    }
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
    rmSync(out, { recursive: true, force: true });
  });

  it.each(PM_ENTITIES)('%s', async (entity) => {
    const canonical = CANONICAL[entity];
    const read = async (dialect: string, fields: string[]) =>
      (
        await warehouse.connection.runAndReadAll(
          `select ${fields.join(', ')} from raw.${canonical.table} where practice_id = '${dialect.toUpperCase()}' order by ${canonical.naturalKey.join(', ')}`,
        )
      ).getRowObjectsJson();
    const all = canonical.fields.map((field) => field.name);
    const rows = await read('canonical', all);
    expect(rows.length).toBeGreaterThan(0);
    // Every field the generator fills arrives with values (a field read as all-empty in every dialect would
    // otherwise compare equal).
    const rare = new Set(['modifier_2', 'approved_by']); // seldom written in a one-month sample
    const empty = all.filter((name) => !rare.has(name) && rows.every((row) => row[name] === null));
    expect([entity, empty]).toEqual([entity, []]);
    for (const dialect of ['ledger', 'compact'] as const) {
      // Only the fields the dialect writes (the compact export leaves some out).
      const written = new Set(
        (PM_DIALECTS[dialect]?.entities[entity] ?? []).flatMap((column) =>
          column.procedure ? [column.procedure.cpt, ...column.procedure.modifiers] : [column.field as string],
        ),
      );
      const fields = all.filter((name) => written.has(name));
      const expected = rows.map((row) => Object.fromEntries(fields.map((name) => [name, row[name]])));
      expect([dialect, await read(dialect, fields)]).toEqual([dialect, expected]);
    }
  });
});
