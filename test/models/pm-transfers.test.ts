import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildWarehouse, type Query } from '../helpers/built-warehouse.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * The same generated practice twice: as a signed ledger whose PM posts its balance transfers (XFR rows, on the
 * day a payer's payment or contractual adjustment is posted, of what is left that day) and in the canonical
 * dialect, which has no transfers, so the ledger infers them by the same rule. The A/R each builds must agree
 * claim for claim: the PM's transfers drive payer and patient A/R exactly as the inference does, except where a
 * secondary payer took part (this PM transfers to the patient only; the inference hands the balance to the
 * secondary first), where the balances must still agree.
 */
describe("a PM's posted transfers decide who owes, like the inferred ones", () => {
  const ledger = tempWarehouse('pm-transfers-ledger');
  const canonical = tempWarehouse('pm-transfers-canonical');
  const builds: { query: Query; close: () => void }[] = [];
  const dbt = ['--', 'build', '--select', '+ar_snapshots', '--exclude-resource-type', 'test', 'unit_test'];

  beforeAll(async () => {
    for (const [wh, dialect] of [
      [ledger, 'txledger'],
      [canonical, 'canonical'],
    ] as const) {
      const inbox = path.join(wh.dir, 'inbox');
      generatedInbox(inbox, { practices: 1, providers: 1, months: 2, dialects: [dialect] });
      builds.push(await buildWarehouse(wh.database, inbox, dbt));
    }
  });
  afterAll(() => {
    for (const build of builds) build.close();
    ledger.remove();
    canonical.remove();
  });

  it('every XFR row is a transfer event, and the claims it covers infer none', async () => {
    const ledgerBuild = builds[0] as { query: Query };
    const [[fromPm, inferredOnPmClaims]] = (await ledgerBuild.query(`
        select
          count(*) filter (where source_id like 'XFR-%')::integer,
          count(*) filter (where source_id not like 'XFR-%' and claim_id in (
            select claim_id from intermediate.int_claim_ledger where source_id like 'XFR-%'))::integer
        from intermediate.int_claim_ledger where event_type = 'transfer_to_patient'`)) as [[number, number]];
    const [[rows]] = (await ledgerBuild.query('select count(*)::integer from raw.pm_transfers')) as [
      [number],
    ];
    expect(fromPm).toBeGreaterThan(0);
    expect(fromPm).toBe(rows);
    expect(inferredOnPmClaims).toBe(0);
  });

  it('ar_snapshots agree claim for claim: balances always, who owes where no secondary took part', async () => {
    // This generated PM posts its transfers to the patient only; the inference hands a balance to a secondary
    // first (a crossover on the primary's posting). Claims a secondary took part in are compared on balance
    // only, every other claim on who owes as well.
    const sql = `select snapshot_date::varchar, claim_id, balance::varchar, responsible_party,
        claim_id in (select claim_id from intermediate.int_claim_ledger where event_type = 'transfer_to_secondary')
      from marts.ar_snapshots order by 1, 2`;
    const ledgerBuild = builds[0] as { query: Query };
    const canonicalBuild = builds[1] as { query: Query };
    const fromTransfers = await ledgerBuild.query(sql);
    const inferred = await canonicalBuild.query(sql);
    expect(inferred.length).toBeGreaterThan(0);
    expect(inferred.some((row) => row[3] === 'patient')).toBe(true);
    expect(fromTransfers.map((row) => row.slice(0, 3))).toEqual(inferred.map((row) => row.slice(0, 3)));
    const secondaryClaims = new Set(inferred.filter((row) => row[4] === true).map((row) => row[1]));
    expect(secondaryClaims.size).toBeGreaterThan(0);
    const whoOwes = (rows: unknown[][]) =>
      rows.filter((row) => !secondaryClaims.has(row[1])).map((row) => row.slice(0, 4));
    expect(whoOwes(fromTransfers)).toEqual(whoOwes(inferred));
  });
});
