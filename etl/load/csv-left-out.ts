import type { DuckDBConnection } from '@duckdb/node-api';
import { CANONICAL } from '../pm/canonical.ts';
import type { Profile } from '../pm/profile.ts';
import { sqlString } from '../pm/values-sql.ts';
import type { FileWarning, LoaderContext } from '../warehouse/load-file.ts';

/**
 * The warnings that account for every data line of a CSV file not stored: left out by a skip rule or as a
 * repeated header, filtered by a keep/drop rule (one warning per reason, with the file's totals before and
 * after filtering), and the file that holds no rows at all (an empty period).
 */

export interface LeftOutPlan {
  moneyColumns: { field: string; header: string }[];
}

const plural = (n: number | bigint, one: string, many: string) => `${n} ${n === 1 || n === 1n ? one : many}`;

/** A skip rule (1-based) as the load names it; null for 0, the repeated header line. */
function describeSkipRule(profile: Profile, rule: number): string | null {
  const skip = profile.format.skip_rows[rule - 1];
  if (!skip) return null;
  return `${skip.column ? JSON.stringify(skip.column) : 'the first column'} matching /${skip.pattern}/${skip.totals ? ' (a totals row)' : ''}`;
}

export async function leftOutWarnings(
  connection: DuckDBConnection,
  stage: string,
  profile: Profile,
  plan: LeftOutPlan,
  skippedRejectLines: Map<number, number>,
  /** Report the rows every entity of the file leaves out (totals, repeated headers): once per file. */
  fileLevel = true,
): Promise<FileWarning[]> {
  const counts = (
    await connection.runAndReadAll(
      `select skip_rule, filter_rule, count(*) from ${stage}
       where skip_row or filter_rule is not null group by skip_rule, filter_rule order by 1, 2`,
    )
  ).getRows() as [number | null, number | null, bigint][];
  const bySkipRule = new Map<number, number>();
  const byFilterRule = new Map<number, number>();
  for (const [skipRule, filterRule, count] of counts) {
    if (skipRule !== null) bySkipRule.set(skipRule, (bySkipRule.get(skipRule) ?? 0) + Number(count));
    else if (filterRule !== null && !profile.rowRules[filterRule - 1]?.silent)
      byFilterRule.set(filterRule, Number(count));
  }
  for (const rule of skippedRejectLines.values()) bySkipRule.set(rule, (bySkipRule.get(rule) ?? 0) + 1);

  const warnings: FileWarning[] = [];
  for (const [rule, count] of fileLevel ? [...bySkipRule].sort((a, b) => a[0] - b[0]) : []) {
    const skip = describeSkipRule(profile, rule);
    const what = skip
      ? `${plural(count, 'row', 'rows')} left out by skip_rows: ${skip}`
      : `${plural(count, 'repeated header line', 'repeated header lines')} left out`;
    warnings.push({ location: 'file', code: 'skipped_rows', message: what });
  }
  if (byFilterRule.size === 0) return warnings;
  for (const [rule, count] of [...byFilterRule].sort((a, b) => a[0] - b[0])) {
    const filter = profile.rowRules[rule - 1];
    warnings.push({
      location: 'file',
      code: 'filtered_rows',
      message: `${plural(count, 'row', 'rows')} left out by rows.${filter?.kind}: ${filter?.reason}`,
    });
  }
  // The file's totals before and after filtering, so the rows left out are accounted for in money too
  // (a routed file: this entity's rows only).
  const silent = profile.rowRules.flatMap((rule, k) => (rule.silent ? [k + 1] : []));
  const own = silent.length > 0 ? ` and coalesce(filter_rule not in (${silent.join(', ')}), true)` : '';
  const sums = plan.moneyColumns.flatMap(({ field }) => [
    `coalesce(sum(f_${field}), 0)::decimal(18,2)::varchar`,
    `coalesce(sum(f_${field}) filter (where filter_rule is null), 0)::decimal(18,2)::varchar`,
  ]);
  const [rows, loaded, ...totals] = (
    await connection.runAndReadAll(
      `select count(*), count(*) filter (where filter_rule is null)${sums.map((sum) => `, ${sum}`).join('')}
       from ${stage} where not skip_row${own}`,
    )
  ).getRows()[0] as [bigint, bigint, ...string[]];
  const money = plan.moneyColumns.map(
    ({ field }, i) => `; ${field} ${totals[2 * i]} before filtering, ${totals[2 * i + 1]} loaded`,
  );
  warnings.push({
    location: 'file',
    code: 'row_totals',
    message: `${plural(rows, 'data row', 'data rows')} before filtering, ${loaded} loaded${money.join('')}`,
  });
  return warnings;
}

/**
 * Every row not stored, into raw.pm_left_out_rows with its line and reason: the rows this entity's rules left
 * out and, once per file (the leader), the rows every entity leaves out (skip rules, repeated headers), also
 * the footer lines the CSV reader could not split.
 */
export async function storeLeftOut(
  connection: DuckDBConnection,
  load: {
    /** The left-out staged rows as `s`, and the SQL of each one's line. */
    source: string;
    lineExpr: string;
    profile: Profile;
    leader: boolean;
    skippedRejectLines: Map<number, number>;
    practiceId: string;
    fileId: number | bigint;
  },
): Promise<void> {
  const { profile } = load;
  const skipReason = (rule: number) => describeSkipRule(profile, rule) ?? 'a repeated header line';
  const skipCases = profile.format.skip_rows.map(
    (_, k) => `when ${k + 1} then ${sqlString(skipReason(k + 1))}`,
  );
  const filterRules = profile.rowRules.map((rule, k) => ({
    k: k + 1,
    rule: rule.route ? 'route' : `rows.${rule.kind}`,
    reason: rule.reason,
  }));
  const byFilter = (pick: (r: (typeof filterRules)[number]) => string) =>
    filterRules.length === 0
      ? 'cast(null as varchar)'
      : `(case s.filter_rule ${filterRules.map((r) => `when ${r.k} then ${sqlString(pick(r))}`).join(' ')} end)`;
  const ruleSql = `case when s.skip_row then (case s.skip_rule when 0 then 'repeated_header' else 'skip_rows' end)
    else ${byFilter((r) => r.rule)} end`;
  const reasonSql = `case when s.skip_row then (case s.skip_rule when 0 then 'a repeated header line' ${skipCases.join(' ')} end)
    else ${byFilter((r) => r.reason)} end`;
  const params = { practice: load.practiceId, file: load.fileId, entity: profile.entity };
  await connection.run(
    `insert into raw.pm_left_out_rows (practice_id, file_id, line_no, entity, rule, reason)
     select $practice, $file, ${load.lineExpr}, case when s.skip_row then null else $entity end, ${ruleSql}, ${reasonSql}
     from ${load.source}`,
    params,
  );
  if (!load.leader || load.skippedRejectLines.size === 0) return;
  const footers = [...load.skippedRejectLines].map(
    ([line, rule]) => `(${line}, ${sqlString(skipReason(rule))})`,
  );
  await connection.run(
    `insert into raw.pm_left_out_rows (practice_id, file_id, line_no, entity, rule, reason)
     select $practice, $file, line, null, 'skip_rows', reason from (values ${footers.join(', ')}) as f(line, reason)`,
    { practice: load.practiceId, file: load.fileId },
  );
}

/**
 * A file with no rows is a valid export of an empty period (a quiet month, a new practice). It is loaded and
 * its range recorded; the warning says so and how many rows of earlier exports, current until now, fall in
 * its range and so leave the current state (docs/inputs.md §4, rule 3).
 */
export async function emptyPeriodWarnings(
  connection: DuckDBConnection,
  load: {
    context: LoaderContext;
    profile: Profile;
    kept: bigint;
    coverage: { from: string | null; to: string | null };
    headerLine: number;
  },
): Promise<FileWarning[]> {
  const { context, profile, kept, coverage, headerLine } = load;
  if (kept > 0n) return [];
  const location = `line ${headerLine + 1}`;
  const field = profile.snapshotDate;
  if (profile.snapshotMode === 'incremental') {
    return [
      {
        location,
        code: 'empty_period',
        message: `no data rows: loaded as an empty ${profile.entity} batch (snapshot mode incremental): it removes nothing`,
      },
    ];
  }
  if (field === null || coverage.from === null || coverage.to === null) {
    return [
      {
        location,
        code: 'empty_period',
        message: `no data rows: loaded as an empty ${profile.entity} export; without a declared range it removes nothing`,
      },
    ];
  }
  const entity = CANONICAL[profile.entity];
  const dates = entity.fields.filter((f) => f.type === 'date').map((f) => f.name);
  const coverageDate = `(case e.coverage_field ${dates.map((d) => `when '${d}' then v.${d}`).join(' ')} end)`;
  const [removed] = (
    await connection.runAndReadAll(
      `select count(*) from (
         select *, row_number() over (
           partition by ${entity.naturalKey.join(', ')} order by file_id desc, line_no desc) as version_rank
         from raw.${entity.table} where practice_id = $practice and file_id < $file
       ) as v
       where version_rank = 1 and v.${field} between cast($from as date) and cast($to as date)
         and not exists (
           select 1 from raw.pm_exports as e
           where e.practice_id = $practice and e.entity = $entity and e.file_id > v.file_id
             and e.file_id < $file and coalesce(e.snapshot_mode, 'full') = 'full'
             and ${coverageDate} between e.coverage_from and e.coverage_to)`,
      {
        practice: context.practiceId,
        file: context.fileId,
        from: coverage.from,
        to: coverage.to,
        entity: profile.entity,
      },
    )
  ).getRows()[0] as [bigint];
  return [
    {
      location,
      code: 'empty_period',
      message: `no data rows: loaded as an empty ${profile.entity} export for ${coverage.from} to ${coverage.to}; it removes ${plural(removed, 'earlier row', 'earlier rows')} from the current state`,
    },
  ];
}
