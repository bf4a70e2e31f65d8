import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';
import type { Manifest } from '../../etl/generate/index.ts';
import { formatCents } from '../../etl/money.ts';
import { buildWarehouse, type Query } from '../helpers/built-warehouse.ts';
import { canaryHits } from '../helpers/canary-scan.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * Two small generated practices through `rcm generate` → `rcm load` → `rcm transform`. The marts must agree
 * with the generator's ground truth (its manifest), and no mart or dbt output may hold a canary PHI value.
 */
describe('generated practices end to end', () => {
  const wh = tempWarehouse('generated');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let query: Query;
  let close: () => void;

  beforeAll(async () => {
    manifest = generatedInbox(inbox, { practices: 2, providers: 2, months: 3 });
    ({ query, close } = await buildWarehouse(wh.database, inbox));
  });
  afterAll(() => {
    close?.();
    wh.remove();
  });

  it('remittance totals per practice equal the manifest (BPR02, CLP04, PLB, transactions, claims)', async () => {
    const expected = manifest.practices.map(({ practice_id }) => {
      const months = manifest.totals.filter((t) => t.practice_id === practice_id);
      const sum = (pick: (t: (typeof months)[number]) => number) => months.reduce((s, t) => s + pick(t), 0);
      return [
        practice_id,
        BigInt(sum((t) => t.era.files)),
        BigInt(sum((t) => t.era.claims)),
        formatCents(BigInt(sum((t) => t.era.bpr_cents))),
        formatCents(BigInt(sum((t) => t.era.paid_cents))),
        formatCents(BigInt(sum((t) => t.era.plb_cents))),
        0n,
      ];
    });
    const rows = await query(`
      select practice_id, remittances, claims, total_paid::varchar, claims_paid::varchar, plb_total::varchar,
             unbalanced_remittances
      from marts.remittance_summary order by practice_id`);
    expect(rows).toEqual(expected);
  });

  it('loads every generated file and quarantines none', async () => {
    const rows = await query(
      'select practice_id, files_loaded, files_quarantined from marts.data_quality_summary order by 1',
    );
    const perPractice = (id: string) =>
      BigInt(manifest.files.filter((f) => f.path.startsWith(`${id}/`)).length);
    expect(rows).toEqual(manifest.practices.map((p) => [p.practice_id, perPractice(p.practice_id), 0n]));
  });

  it('keeps every canary PHI value out of every mart', async () => {
    expect(manifest.canaries.length).toBeGreaterThan(0);
    const tables = await query(
      "select table_name from information_schema.tables where table_schema = 'marts' order by 1",
    );
    expect(tables.length).toBeGreaterThan(0);
    for (const [table] of tables) {
      const columns = await query(
        `select column_name from information_schema.columns where table_schema = 'marts' and table_name = '${table}'`,
      );
      const text = columns.map(([c]) => `coalesce("${c}"::varchar, '')`).join(` || '|' || `);
      for (const canary of manifest.canaries) {
        const hits = await query(
          `select count(*) from marts."${table}" where upper(${text}) like '%' || upper($$${canary.value}$$) || '%'`,
        );
        expect(hits[0]?.[0], `${canary.field} canary in marts.${table}`).toBe(0n);
      }
    }
  });

  // The built report site and the PDFs are scanned for canaries in test/reports/pages.test.ts, on a warehouse
  // generated the same way: a second Evidence build here would check nothing more.
  it('keeps every canary out of the dbt output (its logs and compiled SQL)', async () => {
    const values = manifest.canaries.map((canary) => canary.value);
    // The scanner must see what it is looking for: the raw inputs hold every canary.
    expect((await canaryHits([inbox], values)).length).toBeGreaterThan(0);
    expect(await canaryHits([path.join(repoRoot, 'logs'), path.join(repoRoot, 'target')], values)).toEqual(
      [],
    );
  });
});
