import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Anomaly, Manifest } from '../../etl/generate/index.ts';
import { buildWarehouse, type Query } from '../helpers/built-warehouse.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const sumBy = <T>(items: T[], key: (item: T) => string, value: (item: T) => number): Map<string, number> => {
  const sums = new Map<string, number>();
  for (const item of items) sums.set(key(item), (sums.get(key(item)) ?? 0) + value(item));
  return sums;
};

const asNumbers = (rows: unknown[][]): Map<string, number> =>
  new Map(rows.map(([key, value]) => [String(key), Number(value)]));

/**
 * Two generated practices with three providers each (the generator plants an E/M outlier in each direction
 * when a practice has three) over fourteen months (a vendor change from month seven, worst for two months,
 * recovered after six), through load and the real `dbt build`, once: the denial, rejection and coding marts
 * must agree with the generator's manifest.
 */
describe('denial, rejection and coding models against the generator manifest', () => {
  const wh = tempWarehouse('denials-models');
  const inbox = path.join(wh.dir, 'inbox');
  let manifest: Manifest;
  let query: Query;
  let close = (): void => {};

  beforeAll(async () => {
    // Small on purpose (three visits per provider-day): the load and the dbt build dominate the suite's time.
    manifest = generatedInbox(inbox, { practices: 2, providers: 3, months: 14, visits: 3 });
    ({ query, close } = await buildWarehouse(wh.database, inbox));
  });
  afterAll(() => {
    close();
    wh.remove();
  });

  it('initially denied claims equal era.claims_denied per practice, whole-claim denials era.claims_denied_full', async () => {
    const denied = sumBy(
      manifest.totals,
      (t) => t.practice_id,
      (t) => t.era.claims_denied,
    );
    const full = sumBy(
      manifest.totals,
      (t) => t.practice_id,
      (t) => t.era.claims_denied_full,
    );
    expect([...denied.values()].every((n) => n > 20)).toBe(true);
    const rows = await query(`
      select practice_id, count(distinct claim_id) from marts.denials where is_initial_denial group by 1`);
    expect(asNumbers(rows)).toEqual(denied);
    const fullRows = await query(`
      select practice_id, count(distinct claim_id) from marts.denials
      where is_initial_denial and claim_status_code = '4' group by 1`);
    expect(asNumbers(fullRows)).toEqual(full);
  });

  it('every generated denial code is mapped: no denial falls into `unmapped`', async () => {
    const rows = await query(`select count(*) from marts.denials where category_key = 'unmapped'`);
    expect(rows).toEqual([[0n]]);
  });

  it('rejections equal claims_rejected_999 + claims_rejected_277ca per practice, and per source', async () => {
    const bySource = new Map<string, number>();
    for (const t of manifest.totals) {
      const add = (source: string, n: number) =>
        bySource.set(`${t.practice_id}|${source}`, (bySource.get(`${t.practice_id}|${source}`) ?? 0) + n);
      add('999', t.clearinghouse.claims_rejected_999);
      add('277CA', t.clearinghouse.claims_rejected_277ca);
    }
    const rows = await query(`
      select practice_id || '|' || rejected_by, count(*) from marts.rejections group by 1`);
    expect(asNumbers(rows)).toEqual(bySource);
    const total = sumBy(
      manifest.totals,
      (t) => t.practice_id,
      (t) => t.clearinghouse.claims_rejected_999 + t.clearinghouse.claims_rejected_277ca,
    );
    const perPractice = await query(`select practice_id, count(*) from marts.rejections group by 1`);
    expect(asNumbers(perPractice)).toEqual(total);
  });

  it('flags exactly the planted E/M outliers, in their direction (established visits, last 12 months)', async () => {
    const planted = manifest.anomalies
      .filter((a: Anomaly) => a.type === 'em_outlier')
      .map((a) => `${a.practice_id}|${String(a.provider_id)}|${String(a.direction)}`)
      .sort();
    expect(planted.length).toBe(4);
    const rows = await query(`
      select distinct practice_id || '|' || provider_id || '|' || deviation_flag
      from marts.em_distribution
      where visit_type = 'established'
        and month = (select max(month) from marts.em_distribution where visits > 0)
        and deviation_flag in ('high', 'low')
      order by 1`);
    expect(rows.map(([flag]) => flag)).toEqual(planted);
    // the others are compared and within the threshold, not unflagged for lack of data
    const within = await query(`
      select count(distinct practice_id || provider_id) from marts.em_distribution
      where visit_type = 'established' and deviation_flag = 'within'
        and month = (select max(month) from marts.em_distribution where visits > 0)`);
    expect(within).toEqual([[2n]]);
  });

  it('first-pass acceptance drops and initial denials rise in the vendor_change window, and recover after', async () => {
    const change = manifest.anomalies.find((a) => a.type === 'vendor_change');
    expect(change).toBeDefined();
    const {
      change_date: start,
      worst_until: worst,
      recovered_by: recovered,
    } = change as Anomaly & {
      change_date: string;
      worst_until: string;
      recovered_by: string;
    };
    // months wholly before the change, in its worst stretch, and starting after the recovery
    const period = (month: string) => `case
      when ${month} < date '${start}' then 'before'
      when ${month} <= date '${worst}' then 'window'
      when ${month} > date '${recovered}' then 'after' end`;
    const firstPass = asNumbers(
      await query(`
        select period, sum(claims_accepted_first_pass) / sum(claims_submitted)
        from (select *, ${period('month')} as period from marts.first_pass_monthly)
        where period is not null and month < date '${manifest.period.end}' - interval 20 day
        group by 1`),
    );
    // denials by month of service, over the claims a payer has adjudicated (a claim not yet remitted is
    // neither denied nor paid)
    const denialRate = asNumbers(
      await query(`
        select period, count(distinct denied.claim_id) / count(distinct adjudicated.claim_id)
        from (
          select claims.practice_id, claims.claim_id, ${period("date_trunc('month', claims.service_date)")} as period
          from marts.claims
          inner join intermediate.int_claim_first_remittances as remitted using (practice_id, claim_id)
          where remitted.first_remittance_date is not null
        ) as adjudicated
        left join (select practice_id, claim_id from marts.denials where is_initial_denial) as denied
          using (practice_id, claim_id)
        where period is not null
        group by 1`),
    );
    for (const rates of [firstPass, denialRate])
      expect([...rates.keys()].sort()).toEqual(['after', 'before', 'window']);
    const at = (rates: Map<string, number>, key: string) => rates.get(key) ?? Number.NaN;
    expect(at(firstPass, 'window')).toBeLessThan(at(firstPass, 'before'));
    expect(at(firstPass, 'after')).toBeGreaterThan(at(firstPass, 'window'));
    expect(at(denialRate, 'window')).toBeGreaterThan(at(denialRate, 'before'));
    expect(at(denialRate, 'after')).toBeLessThan(at(denialRate, 'window'));
  });

  it('claims submitted per practice and month equal the manifest (the first-pass denominator)', async () => {
    const expected = new Map(
      manifest.totals
        .filter((t) => t.clearinghouse.claims_submitted > 0)
        .map((t) => [`${t.practice_id}|${t.month}`, t.clearinghouse.claims_submitted]),
    );
    const rows = await query(`
      select practice_id || '|' || strftime(month, '%Y-%m'), sum(claims_submitted)
      from marts.first_pass_monthly group by 1`);
    expect(asNumbers(rows)).toEqual(expected);
  });

  it('kpi_monthly headline first-pass acceptance falls in the vendor_change window too', async () => {
    const change = manifest.anomalies.find((a) => a.type === 'vendor_change') as Anomaly & {
      change_date: string;
      worst_until: string;
    };
    const rows = asNumbers(
      await query(`
        select case when month < date '${change.change_date}' then 'before' else 'window' end,
               avg(first_pass_acceptance_rate)
        from marts.kpi_monthly
        where month < date '${change.change_date}'
           or month between date '${change.change_date}' and date '${change.worst_until}'
        group by 1`),
    );
    expect(rows.get('window') ?? Number.NaN).toBeLessThan(rows.get('before') ?? Number.NaN);
  });
});
