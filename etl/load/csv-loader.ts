import { rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { InputError } from '../input-error.ts';
import { CANONICAL, type CanonicalField, sqlTypes } from '../pm/canonical.ts';
import { type Detection, detectProfile, splitCsvLine } from '../pm/detect-profile.ts';
import { loadProfiles, normalizeHeader, type Profile } from '../pm/profile.ts';
import {
  csvDefect,
  type FileScan,
  firstInvalidUtf8Line,
  hasMixedTrailingBreaks,
  lineAtByte,
  recordLines,
  scanFile,
  transcodeWindows1252,
  withoutMixedTrailingBreaks,
} from '../pm/scan.ts';
import { convertSql, excelText, excelTextSql, isEmptySql, sqlString } from '../pm/values-sql.ts';
import type { BatchFile, FileLoader, FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import { emptyPeriodWarnings, leftOutWarnings, storeLeftOut } from './csv-left-out.ts';

/**
 * Loads a CSV input (PM export, clearinghouse rejection report, bank deposits, fee schedule) through its mapping
 * profile. DuckDB reads the file (`read_csv`, every column VARCHAR under a positional name), converts and
 * checks every value in SQL into a temporary staging table, and the first unreadable value, if any, is reported
 * with its physical line, column, value and expected format. Only a file without any error reaches the raw table.
 *
 * The staging table keeps the file's record order (DuckDB preserves insertion order, its default), so a staged
 * row's rowid minus the first one is its record index; scan.ts turns record indexes into physical lines.
 */

export interface CsvLoaderOptions {
  /** Profiles to choose from (default: every profile in the profile folders). */
  profiles?: Profile[];
  /** Use this profile (e.g. 'ledger/charges') instead of detecting one by header. */
  profile?: string;
  /** Called after each phase with the milliseconds since the load began (for benchmarks). */
  trace?: (phase: string, elapsedMs: number) => void;
}

interface Check {
  /** SQL condition that is true when the row fails this check. */
  failed: string;
  header: string;
  /** SQL expression of the offending text. */
  text: string;
  expected: string;
  missing: boolean;
  /** A repeating group's column: its header in each group (the error names the group's own column). */
  groupHeaders?: string[];
}

interface Plan {
  columnsParam: string;
  /** Select list producing every canonical field as f_<name>. */
  fieldExprs: { field: CanonicalField; expr: string }[];
  checks: Check[];
  /** SQL: 0 for a repeated header line, k for the k-th skip rule (1-based), null for a data row. */
  skip: string;
  skipRuleColumns: { index: number; pattern: RegExp; rule: number }[];
  /** SQL: k for the k-th row rule (1-based) that leaves the row out, null for a row the entity keeps. */
  filter: string;
  /** SQL list of the rules that leave out rows of a routed file's other entities (not counted as left out). */
  silentRules: string;
  /** Repeating groups: their number, and SQL true when the row's group holds no value. */
  wide: { groups: number; empty: string } | null;
  /** A routed file's leader refuses a row whose route value goes to no entity. */
  routeCheck: { bad: string; text: string; header: string; expected: string } | null;
  /** SQL condition true on a totals row (a skip rule marked totals). */
  totals: string;
  /** Money fields read from a column, to compare with a totals row. */
  moneyColumns: { field: string; header: string }[];
}

const quoteIdent = (name: string) => `"${name.replaceAll('"', '""')}"`;

function buildPlan(detection: Detection, leader = true): Plan {
  const { profile, headers } = detection;
  const byHeader = new Map(profile.columns.map((column) => [normalizeHeader(column.header), column]));
  const columnsParam = `{${headers.map((_, i) => `'c${i + 1}': 'VARCHAR'`).join(', ')}}`;
  const sources = new Map<string, { expr: string; header: string; raw: string }>();
  const checks: Check[] = [];
  const moneyColumns: { field: string; header: string }[] = [];

  /**
   * Checks for one field read from `text` (a column, or one part of a split column). The cheap test comes
   * first: a value that converted (f_<name> not null) needs no look at its text.
   */
  const fieldChecks = (field: CanonicalField, text: string, header: string, raw: string, label: string) => {
    const value = convertSql(field.type, text, profile.format);
    sources.set(field.name, { expr: value.value, header, raw });
    if (field.type === 'money') moneyColumns.push({ field: field.name, header });
    const textual = field.type === 'text' || field.type === 'code';
    const converted = `f_${field.name}`;
    if (field.required) {
      checks.push({
        failed: textual ? `${converted} is null` : `(${converted} is null and ${isEmptySql(text)})`,
        header,
        text: raw,
        expected: `a ${field.name} (required)`,
        missing: true,
      });
    }
    if (!textual) {
      checks.push({
        failed: `(${converted} is null and not ${isEmptySql(text)})`,
        header,
        text: raw,
        expected: `${label}${value.expected}`,
        missing: false,
      });
    }
  };

  /** The file's column of each group for one template: index (or -1) and header. */
  const groupColumns = (template: string) =>
    Array.from({ length: profile.repeat?.groups ?? 0 }, (_, k) => {
      const name = template.replaceAll('{n}', String(k + 1));
      const index = headers.findIndex((h) => normalizeHeader(h) === normalizeHeader(name));
      return { index, header: index < 0 ? name : (headers[index] as string) };
    });
  const groupHeaderOf = new Map<string, string[]>();
  const firstCheck = checks.length;
  headers.forEach((header, i) => {
    const column = byHeader.get(normalizeHeader(header));
    if (!column || column.fields.length === 0) return;
    let raw = `c${i + 1}`;
    if (column.group) {
      // One expression for the whole group: the column of the row's group (grp), empty where the file lacks it.
      if (column.group.n !== 1) return;
      const template = column.group.template;
      const members = groupColumns(template);
      raw = `(case grp ${members.map(({ index }, k) => (index < 0 ? '' : `when ${k + 1} then c${index + 1}`)).join(' ')} end)`;
      groupHeaderOf.set(
        template,
        members.map(({ header }) => header),
      );
    }
    // Values are read from the unwrapped cell; error reports quote the cell as the file has it.
    const cell = excelTextSql(raw);
    if (column.values) {
      const code = `upper(trim(${cell}))`;
      const codes = [...column.values.keys()];
      const cases = [...column.values].map(([from, to]) => `when ${sqlString(from)} then ${sqlString(to)}`);
      if (!column.keepOthers) {
        checks.push({
          failed: `(not ${isEmptySql(cell)} and ${code} not in (${codes.map(sqlString).join(', ')}))`,
          header,
          text: raw,
          expected: `one of the coded values ${codes.join(', ')}`,
          missing: false,
        });
      }
      const mapped = `(case ${code} ${cases.join(' ')} else ${column.keepOthers ? cell : 'null'} end)`;
      fieldChecks(column.fields[0] as CanonicalField, mapped, header, raw, '');
      return;
    }
    if (column.separator === null) {
      fieldChecks(column.fields[0] as CanonicalField, cell, header, raw, '');
      return;
    }
    const parts = `string_split(trim(${cell}), ${sqlString(column.separator)})`;
    checks.push({
      failed: `(len(${parts}) > ${column.fields.length})`,
      header,
      text: raw,
      expected: `at most ${column.fields.length} parts (${column.fields.map((f) => f.name).join(column.separator)})`,
      missing: false,
    });
    column.fields.forEach((field, j) => {
      fieldChecks(field, `${parts}[${j + 1}]`, header, raw, `${field.name} as `);
    });
  });

  for (const check of checks.slice(firstCheck)) {
    const template = [...groupHeaderOf.keys()].find(
      (name) => normalizeHeader(groupHeaderOf.get(name)?.[0] ?? '') === normalizeHeader(check.header),
    );
    if (template) check.groupHeaders = groupHeaderOf.get(template);
  }
  // Composite fields: the trimmed cells joined, empty when any part is empty.
  const indexOf = (header: string) =>
    headers.findIndex((candidate) => normalizeHeader(candidate) === normalizeHeader(header));
  for (const composite of profile.composites) {
    const indexes = composite.headers.map(indexOf);
    if (indexes.some((index) => index < 0)) continue;
    const cells = indexes.map((index) => `trim(${excelTextSql(`c${index + 1}`)})`);
    const text = `(case when ${cells.map(isEmptySql).join(' or ')} then null else concat_ws(${sqlString(composite.separator)}, ${cells.join(', ')}) end)`;
    fieldChecks(composite.field, text, composite.headers.join('+'), `c${(indexes[0] as number) + 1}`, '');
  }

  // Continuation rows of a wide claim: the page column moves the row's lines past the groups before it.
  const pageIndex = profile.repeat?.pageHeader ? indexOf(profile.repeat.pageHeader) : -1;
  let lineNumberExpr = 'cast(grp as integer)';
  if (profile.repeat && pageIndex >= 0) {
    const page = `trim(${excelTextSql(`c${pageIndex + 1}`)})`;
    checks.push({
      failed: `(not ${isEmptySql(page)} and coalesce(try_cast(${page} as integer), 0) < 1)`,
      header: headers[pageIndex] as string,
      text: `c${pageIndex + 1}`,
      expected: 'a page number (1, 2, …)',
      missing: false,
    });
    lineNumberExpr = `cast(grp + ${profile.repeat.groups} * (coalesce(try_cast(${page} as integer), 1) - 1) as integer)`;
  }
  const fieldExprs = CANONICAL[profile.entity].fields.map((field) => {
    if (profile.repeat?.lineNumberField === field.name) return { field, expr: lineNumberExpr };
    const source = sources.get(field.name);
    // A signed ledger writes payments and adjustments negative; the canonical model stores them positive.
    if (source && profile.negate.includes(field.name)) return { field, expr: `(-(${source.expr}))` };
    if (source) return { field, expr: source.expr };
    const constant = profile.constants.find((c) => c.field.name === field.name);
    if (constant) {
      return { field, expr: `cast(${sqlString(String(constant.value))} as ${sqlTypes[field.type]})` };
    }
    return { field, expr: `cast(null as ${sqlTypes[field.type]})` };
  });

  // A row repeating the header line, and rows matching the profile's skip rules (totals, footers).
  const headerRepeat = headers
    .map((header, i) => (header.trim() === '' ? null : `c${i + 1} = ${sqlString(header)}`))
    .filter((condition): condition is string => condition !== null);
  const skipRuleColumns: { index: number; pattern: RegExp; rule: number }[] = [];
  const totalsConditions: string[] = [];
  const ruleConditions = profile.format.skip_rows.flatMap((rule, k) => {
    const index = rule.column ? indexOf(rule.column) : 0;
    if (index < 0) return [];
    skipRuleColumns.push({ index, pattern: new RegExp(rule.pattern, 'i'), rule: k + 1 });
    const cell = excelTextSql(`c${index + 1}`);
    const condition = `coalesce(regexp_matches(trim(${cell}), ${sqlString(rule.pattern)}, 'i'), false)`;
    if (rule.totals) totalsConditions.push(condition);
    return [`when ${condition} then ${k + 1}`];
  });
  const skip = `(case when ${headerRepeat.join(' and ') || 'false'} then 0 ${ruleConditions.join(' ')} end)`;
  const totals = totalsConditions.join(' or ') || 'false';
  // Routing rules first, then drop rules, then keep rules: the first that leaves a row out is its reason.
  const ordered = [
    ...profile.rowRules.filter((rule) => rule.route),
    ...profile.rowRules.filter((rule) => !rule.route && rule.kind === 'drop'),
    ...profile.rowRules.filter((rule) => !rule.route && rule.kind === 'keep'),
  ];
  const filterCases = ordered.flatMap((rule) => {
    const index = indexOf(rule.header);
    if (index < 0) return [];
    const value = `trim(${excelTextSql(`c${index + 1}`)})`;
    const matches = rule.values
      ? `coalesce(upper(${value}) in (${rule.values.map(sqlString).join(', ')}), false)`
      : `coalesce(regexp_matches(${value}, ${sqlString(rule.pattern ?? '')}, 'i'), false)`;
    const k = profile.rowRules.indexOf(rule) + 1;
    return [`when ${rule.kind === 'drop' ? matches : `not ${matches}`} then ${k}`];
  });
  const filter = filterCases.length > 0 ? `(case ${filterCases.join(' ')} end)` : 'cast(null as integer)';
  const silentRules =
    profile.rowRules.flatMap((rule, k) => (rule.silent ? [String(k + 1)] : [])).join(', ') || 'null';
  let routeCheck: Plan['routeCheck'] = null;
  const route = profile.route;
  const routeIndex = route?.header ? indexOf(route.header) : -1;
  if (route && leader && route.others === 'refuse' && routeIndex >= 0) {
    const value = `upper(trim(${excelTextSql(`c${routeIndex + 1}`)}))`;
    const codes = [...route.values.keys()];
    routeCheck = {
      bad: `coalesce(${value} not in (${codes.map(sqlString).join(', ')}), true)`,
      text: `c${routeIndex + 1}`,
      header: headers[routeIndex] as string,
      expected: `a value routed to an entity: ${[...route.values].map(([code, entity]) => `${code} (${entity})`).join(', ')}`,
    };
  }
  const templates = [...groupHeaderOf.keys()].map(groupColumns);
  const wide = profile.repeat
    ? {
        groups: profile.repeat.groups,
        empty:
          templates
            .map(
              (members) =>
                `coalesce(trim(case grp ${members.map(({ index }, k) => (index < 0 ? '' : `when ${k + 1} then ${excelTextSql(`c${index + 1}`)}`)).join(' ')} end), '') = ''`,
            )
            .join(' and ') || 'false',
      }
    : null;
  return {
    wide,
    columnsParam,
    fieldExprs,
    checks,
    skip,
    skipRuleColumns,
    filter,
    silentRules,
    routeCheck,
    totals,
    moneyColumns,
  };
}

/** DuckDB's reader on one file, or on several (then each row names its file in `filename`). */
function readCsvSql(readPath: string | string[], detection: Detection, plan: Plan, rejects: string): string {
  const format = detection.profile.format;
  const files =
    typeof readPath === 'string'
      ? sqlString(readPath)
      : `[${readPath.map(sqlString).join(', ')}], filename = true`;
  return `read_csv(${files}, auto_detect = false, header = false, skip = ${detection.headerLine},
    columns = ${plan.columnsParam}, delim = ${sqlString(format.delimiter)}, quote = ${sqlString(format.quote)},
    escape = ${sqlString(format.quote)}, nullstr = '\u0001', strict_mode = true, null_padding = false,
    store_rejects = true, rejects_table = '${rejects}_errors', rejects_scan = '${rejects}_scans')`;
}

function stageSql(stage: string, source: string, plan: Plan, keepFileName = false): string {
  const fields = plan.fieldExprs.map(({ field, expr }) => `${expr} as f_${field.name}`);
  const errCase = plan.checks.map((check, k) => `when ${check.failed} then ${k + 1}`).join(' ');
  const textCase = plan.checks.map((check, k) => `when ${k + 1} then ${check.text}`).join(' ');
  const names = [
    ...plan.fieldExprs.map(({ field }) => `f_${field.name}`),
    ...(plan.wide ? ['rec', 'grp'] : []),
    ...(keepFileName ? ['filename'] : []),
  ].join(', ');
  return `create temp table ${stage} as
select ${names}, skip_row, skip_rule, filter_rule, totals_row, route_bad, route_text, err, ${plan.checks.length > 0 ? `case err ${textCase} end` : 'null'} as err_text
from (
  select *, ${plan.checks.length > 0 ? `case when skip_row or filter_rule is not null then null ${errCase} end` : 'cast(null as integer)'} as err
  from (
    select *, skip_rule is not null as skip_row, case when skip_rule is null then ${plan.filter} end as filter_rule
    from (select *, ${fields.join(', ')}, ${plan.skip} as skip_rule, (${plan.totals}) as totals_row,
      ${plan.routeCheck ? `${plan.routeCheck.bad} as route_bad, ${plan.routeCheck.text} as route_text` : 'false as route_bad, null as route_text'},
      ${plan.wide ? `(${plan.wide.empty})` : 'false'} as group_empty
      from ${source})
  )
)${plan.wide ? '\nwhere grp = 1 or (skip_rule is null and not group_empty)' : ''}`;
}

/**
 * A file with repeating column groups: its records read once into a table (rowid from the first: the record
 * index), then
 * one row per record and group; the stage keeps the first group of every record and each other group that
 * holds a value.
 */
function wideSourceSql(read: string, groups: number): string {
  return `(select r.*, g.grp from (select rowid - (select min(rowid) from ${read}) as rec, * from ${read}) as r
    cross join (select unnest(range(1, ${groups + 1})) as grp) as g)`;
}

/**
 * A file with one totals row (a skip rule marked `totals`) must add up: each money column's sum over the
 * loaded rows equals the totals row, so a truncated or edited export is refused rather than loaded short.
 */
async function checkTotals(
  connection: DuckDBConnection,
  stage: string,
  base: bigint,
  plan: Plan,
  fileName: string,
  lineOf: (rec: number) => number,
  recSql = `rowid - ${base}`,
): Promise<void> {
  if (plan.totals === 'false' || plan.moneyColumns.length === 0) return;
  const totalsRows = (
    await connection.runAndReadAll(
      `select ${recSql}, ${plan.moneyColumns.map(({ field }) => `f_${field}::varchar`).join(', ')} from ${stage} where totals_row`,
    )
  ).getRows();
  if (totalsRows.length !== 1) return;
  const [rec, ...totals] = totalsRows[0] as unknown[];
  const sums = (
    await connection.runAndReadAll(
      `select ${plan.moneyColumns.map(({ field }) => `coalesce(sum(f_${field}), 0)::decimal(18,2)::varchar`).join(', ')} from ${stage} where not skip_row`,
    )
  ).getRows()[0] as unknown[];
  plan.moneyColumns.forEach(({ header }, i) => {
    const total = totals[i];
    if (total === null || total === undefined || total === sums[i]) return;
    throw new InputError({
      file: fileName,
      location: `line ${lineOf(Number(rec))} (totals row), column ${JSON.stringify(header)}`,
      expected: `the sum of the rows above, ${sums[i]}`,
      found: `${total}`,
    });
  });
}

function rejectFound(
  errorType: string,
  message: string,
  csvLine: string,
): { expected: string; found: string } {
  const counts = /Expected Number of Columns: (\d+) Found: (\d+)/.exec(message);
  if (counts && (errorType === 'MISSING COLUMNS' || errorType === 'TOO MANY COLUMNS')) {
    return { expected: `${counts[1]} fields, as in the header`, found: `${counts[2]} fields` };
  }
  const row = JSON.stringify(csvLine.replace(/^[\r\n]+/, '').trimEnd());
  if (errorType === 'UNQUOTED VALUE') {
    return {
      expected: 'each field either wholly in quotes or without quotes (a quote left open?)',
      found: row,
    };
  }
  return { expected: 'a well-formed CSV row', found: `${errorType.toLowerCase()}: ${row}` };
}

/** Whether a file staged with its batch is still as it was then. */
function unchanged(staged: Staged): boolean {
  try {
    const { size, mtimeMs } = statSync(staged.filePath);
    return size === staged.size && mtimeMs === staged.mtimeMs;
  } catch {
    return false;
  }
}

/** Declared range from the file name: groups year+month (a month) or from+to (dates). */
function periodFromName(profile: Profile, fileName: string): { from: string; to: string } | null {
  const match = profile.periodFromFileName?.exec(fileName);
  const groups = match?.groups;
  if (!groups) return null;
  const iso = (text: string) => text.replace(/^(\d{4})-?(\d{2})-?(\d{2})$/, '$1-$2-$3');
  if (groups.year && groups.month) {
    const year = Number(groups.year);
    const month = Number(groups.month);
    const last = new Date(Date.UTC(year, month, 0)).getUTCDate();
    const mm = String(month).padStart(2, '0');
    return { from: `${year}-${mm}-01`, to: `${year}-${mm}-${String(last).padStart(2, '0')}` };
  }
  if (groups.from && groups.to) return { from: iso(groups.from), to: iso(groups.to) };
  return null;
}

export function createCsvLoader(options: CsvLoaderOptions = {}): FileLoader {
  const staged = new Map<string, Staged>();
  const loader: FileLoader = async (context) => loadCsv(context, options, staged.get(context.filePath));
  loader.prepareBatch = (connection, files) => stageBatch(connection, files, options, staged);
  return loader;
}

/** A file's rows, staged with the other files of its batch that share its profile and header. */
interface Staged {
  /** The batch's staging table; the file's rows are those whose `filename` is `filePath`. */
  table: string;
  filePath: string;
  detection: Detection;
  scan: FileScan;
  /** The file as it was read: a file changed since is loaded on its own. */
  size: number;
  mtimeMs: number;
}

let batchStages = 0;

/**
 * Stages the CSV files of a batch that share a profile and a header line in one query. Planning the staging
 * query (hundreds of expressions: every value converted and checked) costs about 70 ms however few rows it
 * reads, most of a small export's load; one query per group pays it once. Only plain files are staged so: UTF-8,
 * one profile (not routed, no repeating groups), every record read (no line DuckDB's reader rejected). Any other
 * file, and every file of a group whose query fails, is staged by its own load as before, which reports its
 * errors. The per-file checks, counts and inserts are the same either way.
 */
async function stageBatch(
  connection: DuckDBConnection,
  files: BatchFile[],
  options: CsvLoaderOptions,
  staged: Map<string, Staged>,
): Promise<() => Promise<void>> {
  const profiles = options.profiles ?? loadProfiles();
  const groups = new Map<string, Staged[]>();
  for (const { filePath, fileName } of files) {
    try {
      const detection = detectProfile(filePath, fileName, profiles, options.profile);
      const { profile } = detection;
      if (profile.route || profile.repeat) continue;
      const { size, mtimeMs } = statSync(filePath);
      const scan = scanFile(filePath);
      if (scan.nulLine !== null || !scan.utf8 || profile.format.encoding === 'windows-1252') continue;
      if (hasMixedTrailingBreaks(filePath)) continue;
      const key = JSON.stringify([profile.id, detection.headerLine, detection.headers]);
      const group = groups.get(key) ?? [];
      group.push({ table: '', filePath, detection, scan, size, mtimeMs });
      groups.set(key, group);
    } catch {
      // its own load reports it
    }
  }
  const tables: string[] = [];
  const mine: string[] = [];
  for (const group of groups.values()) {
    const first = group[0] as Staged;
    if (group.length < 2 || new Set(group.map((file) => file.filePath)).size < group.length) continue;
    batchStages += 1;
    const table = `pm_batch_stage_${batchStages}`;
    tables.push(table, `${table}_errors`, `${table}_scans`);
    const plan = buildPlan(first.detection);
    const paths = group.map((file) => file.filePath);
    try {
      await connection.run(stageSql(table, readCsvSql(paths, first.detection, plan, table), plan, true));
      const rejected = new Set(
        (
          await connection.runAndReadAll(
            `select distinct s.file_path from ${table}_errors as e join ${table}_scans as s using (scan_id, file_id)`,
          )
        )
          .getRows()
          .map(([name]) => String(name)),
      );
      for (const file of group) {
        if (rejected.has(file.filePath)) continue;
        staged.set(file.filePath, { ...file, table });
        mine.push(file.filePath);
      }
    } catch {
      // each file of the group is staged by its own load, which names what is wrong
    }
  }
  return async () => {
    for (const filePath of mine) staged.delete(filePath);
    for (const table of tables) {
      await connection.run(`drop table if exists ${quoteIdent(table)}`).catch(() => undefined);
    }
  };
}

/** The loader for every CSV kind: picks the profile by header (see detectProfile). */
export const loadCsvInput: FileLoader = createCsvLoader();

async function loadCsv(context: LoaderContext, options: CsvLoaderOptions, batchStaged: Staged | undefined) {
  const { connection, fileId, practiceId, filePath, fileName } = context;
  const started = performance.now();
  const mark = (phase: string) => options.trace?.(phase, performance.now() - started);
  const profiles = options.profiles ?? loadProfiles();
  const pre = batchStaged !== undefined && unchanged(batchStaged) ? batchStaged : undefined;
  const fileDetection = pre?.detection ?? detectProfile(filePath, fileName, profiles, options.profile);
  const { profile, headerLine } = fileDetection;
  const warnings: FileWarning[] = [];
  mark('detect');
  const scan = pre?.scan ?? scanFile(filePath);
  mark('scan');
  if (scan.nulLine !== null) {
    throw new InputError({
      file: fileName,
      location: `line ${scan.nulLine}`,
      expected: 'text: a CSV export',
      found: 'a NUL byte (binary data)',
    });
  }

  let readPath = filePath;
  let encoding = 'utf-8';
  let transcoded: string | null = null;
  let trimmed: string | null = null;
  if (!scan.utf8 || profile.format.encoding === 'windows-1252') {
    if (profile.format.encoding === 'utf-8') {
      throw new InputError({
        file: fileName,
        location: `line ${firstInvalidUtf8Line(filePath) ?? 1}`,
        expected: `UTF-8 text (profile ${profile.id} says encoding: utf-8)`,
        found: 'bytes that are not UTF-8 (a file saved as Windows-1252/ANSI?)',
      });
    }
    transcoded = path.join(tmpdir(), `rcm-pm-${process.pid}-${fileId}.csv`);
    transcodeWindows1252(filePath, transcoded);
    readPath = transcoded;
    encoding = 'windows-1252';
    if (profile.format.encoding === 'auto') {
      warnings.push({ location: 'file', code: 'encoding', message: 'not UTF-8: read as Windows-1252' });
    }
  }

  /** Loads the file's rows of one entity (a routed file: one member of its group). */
  const loadEntity = async (profile: Profile, leader: boolean) => {
    const detection: Detection = { ...fileDetection, profile };
    const warnings: FileWarning[] = [];
    const stage = `pm_stage_${fileId}`;
    const rejects = `pm_rejects_${fileId}`;
    const lineMap = `pm_lines_${fileId}`;
    const read = `pm_read_${fileId}`;
    const created = pre ? [stage] : [stage, read, lineMap, `${rejects}_errors`, `${rejects}_scans`];
    try {
      const plan = buildPlan(detection, leader);
      const staging = pre
        ? connection.run(
            `create temp table ${stage} as select * exclude (filename) from ${pre.table}
              where filename = ${sqlString(pre.filePath)} order by rowid`,
          )
        : connection.run(
            plan.wide
              ? `create temp table ${read} as select * from ${readCsvSql(readPath, detection, plan, rejects)}`
              : stageSql(stage, readCsvSql(readPath, detection, plan, rejects), plan),
          );
      await staging.catch((error: Error) => {
        // DuckDB's strict reader refuses some malformed files whole, without a line: find it ourselves.
        const defect = csvDefect(readPath, profile.format.quote, profile.format.delimiter);
        if (defect === null) throw error;
        throw new InputError({
          file: fileName,
          location: `line ${defect.line}`,
          expected: 'a well-formed CSV file (fields quoted whole, one kind of line ending)',
          found: defect.found,
        });
      });
      if (plan.wide) await connection.run(stageSql(stage, wideSourceSql(read, plan.wide.groups), plan));
      mark('stage');

      // One pass over the staged rows for every figure the checks and the export record need.
      const entity = CANONICAL[profile.entity];
      const snapshotField = profile.snapshotDate;
      const key = `(${entity.naturalKey.map((name) => `f_${name}`).join(', ')})`;
      const loaded = 'not skip_row and filter_rule is null';
      const snapshotRange = snapshotField
        ? `min(f_${snapshotField}) filter (where ${loaded})::varchar, max(f_${snapshotField}) filter (where ${loaded})::varchar`
        : 'null, null';
      const [
        rejectCount,
        records,
        kept,
        base,
        errors,
        rangeFrom,
        rangeTo,
        distinctKeys,
        others,
        leftOutRows,
      ] = (
        await connection.runAndReadAll(
          `select ${pre ? '0::bigint' : `(select count(*) from ${rejects}_errors)`}, count(*) filter (where ${plan.wide ? 'grp = 1' : 'true'}),
          count(*) filter (where ${loaded}),
          coalesce(min(rowid), 0), count(err), ${snapshotRange},
          count(distinct ${key}) filter (where ${loaded}),
          count(*) filter (where filter_rule in (${plan.silentRules})),
          count(*) filter (where skip_row or filter_rule is not null)
         from ${stage}`,
        )
      ).getRows()[0] as [
        bigint,
        bigint,
        bigint,
        bigint,
        bigint,
        string | null,
        string | null,
        bigint,
        bigint,
        bigint,
      ];
      // Most exports leave no row out: then there is nothing to store or report about left-out rows.
      const leavesRowsOut = () => leftOutRows > 0n || skippedRejectLines.size > 0;
      // A staged row's record index, and the order of the file (wide rows: record, then group).
      const recSql = plan.wide ? 'rec' : `rowid - ${base}`;
      const orderSql = plan.wide ? 'rec, grp' : 'rowid';

      // Rows DuckDB could not split into the header's fields: an error, unless a skip rule covers them (a footer).
      const rejected =
        rejectCount === 0n
          ? []
          : (
              await connection.runAndReadAll(
                `select line_byte_position, error_type, error_message, csv_line from ${rejects}_errors order by line_byte_position`,
              )
            ).getRows();
      /** Physical line -> the skip rule (1-based) that covers it. */
      const skippedRejectLines = new Map<number, number>();
      for (const [bytePosition, errorType, message, csvLine] of rejected) {
        const line = lineAtByte(readPath, Number(bytePosition));
        const fields = splitCsvLine(
          String(csvLine).replace(/^[\r\n]+/, ''),
          profile.format.delimiter,
          profile.format.quote,
        );
        const skippedBy = plan.skipRuleColumns.find(({ index, pattern }) =>
          pattern.test(excelText(fields[index] ?? '').trim()),
        );
        if (skippedBy) {
          skippedRejectLines.set(line, skippedBy.rule);
          continue;
        }
        throw new InputError({
          file: fileName,
          location: `line ${line}`,
          ...rejectFound(String(errorType), String(message), String(csvLine)),
        });
      }

      // Physical line of each record: a formula when records sit one per line, else a scan of the file.
      const recordCount = Number(records);
      let lines: number[] | null = null;
      if (skippedRejectLines.size > 0 || scan.lastContentLine !== headerLine + recordCount) {
        lines = recordLines(readPath, headerLine, profile.format.quote).filter(
          (line) => !skippedRejectLines.has(line),
        );
        if (lines.length !== recordCount) {
          throw new Error(
            `line mapping: ${lines.length} records found by the scan, ${recordCount} read by DuckDB`,
          );
        }
        const shifts: string[] = [];
        let previous = 0;
        lines.forEach((line, index) => {
          const shift = line - (headerLine + 1 + index);
          if (shift !== previous) shifts.push(`(${index}, ${shift})`);
          previous = shift;
        });
        await connection.run(`create temp table ${lineMap} (rec bigint, shift bigint)`);
        if (pre) created.push(lineMap);
        for (let i = 0; i < shifts.length; i += 1000) {
          await connection.run(`insert into ${lineMap} values ${shifts.slice(i, i + 1000).join(', ')}`);
        }
      }
      const lineOf = (rec: number) => (lines ? (lines[rec] as number) : headerLine + 1 + rec);

      const [unrouted] = plan.routeCheck
        ? (
            await connection.runAndReadAll(
              `select ${recSql}, route_text from ${stage} where not skip_row and route_bad order by ${orderSql} limit 1`,
            )
          ).getRows()
        : [];
      if (unrouted && plan.routeCheck) {
        const [rec, text] = unrouted;
        throw new InputError({
          file: fileName,
          location: `line ${lineOf(Number(rec))}, column ${JSON.stringify(plan.routeCheck.header)}`,
          expected: plan.routeCheck.expected,
          found: String(text ?? '').trim() === '' ? 'an empty value' : JSON.stringify(text),
        });
      }
      const firstError =
        errors === 0n
          ? undefined
          : (
              await connection.runAndReadAll(
                `select ${recSql} as rec, err, err_text, ${plan.wide ? 'grp' : '1'} from ${stage} where err is not null order by ${orderSql} limit 1`,
              )
            ).getRows()[0];
      if (firstError) {
        const [rec, err, text, grp] = firstError;
        const check = plan.checks[Number(err) - 1] as Check;
        throw new InputError({
          file: fileName,
          location: `line ${lineOf(Number(rec))}, column ${JSON.stringify(check.groupHeaders?.[Number(grp) - 1] ?? check.header)}`,
          expected: check.expected,
          found:
            check.missing || text === null || String(text).trim() === ''
              ? 'an empty value'
              : JSON.stringify(text),
        });
      }

      await checkTotals(connection, stage, base, plan, fileName, lineOf, recSql);
      mark('check');
      const names = entity.fields.map((field) => field.name);
      /** The staged rows that match `where`, as `s`, and the SQL of each one's physical line. */
      const withLines = (where: string) => {
        const staged = plan.wide
          ? `(select * from ${stage} where ${where})`
          : `(select rowid - ${base} as rec, * from ${stage} where ${where})`;
        return {
          source: lines
            ? `${staged} as s asof left join ${lineMap} as m on s.rec >= m.rec`
            : `${staged} as s`,
          lineExpr: lines ? `${headerLine + 1} + s.rec + coalesce(m.shift, 0)` : `${headerLine + 1} + s.rec`,
        };
      };
      const { source, lineExpr } = withLines(loaded);
      await connection.run(
        `insert into raw.${entity.table} (practice_id, file_id, line_no, ${names.join(', ')})
       select $practice, $file, ${lineExpr}, ${names.map((name) => `s.f_${name}`).join(', ')} from ${source}`,
        { practice: practiceId, file: fileId },
      );

      // Rows other entities of a routed file take are theirs; a wide row is left out once, not per group.
      const leftOut = withLines(
        `(skip_row or filter_rule is not null) and coalesce(filter_rule not in (${plan.silentRules}), true)${plan.wide ? ' and grp = 1' : ''}${leader ? '' : ' and not skip_row'}`,
      );
      if (leavesRowsOut()) {
        await storeLeftOut(connection, {
          ...leftOut,
          profile,
          leader,
          skippedRejectLines,
          practiceId,
          fileId,
        });
      }
      mark('insert');
      // The export's range, for the snapshot rules.
      let coverage: { from: string | null; to: string | null; source: string | null } = {
        from: null,
        to: null,
        source: null,
      };
      if (snapshotField) {
        const declared = periodFromName(profile, fileName);
        if (declared) coverage = { ...declared, source: 'file_name' };
        else coverage = { from: rangeFrom, to: rangeTo, source: rangeFrom === null ? null : 'rows' };
      }
      await connection.run(
        `insert into raw.pm_exports (file_id, practice_id, entity, profile, encoding, coverage_field,
        coverage_from, coverage_to, coverage_source, row_count, skipped_rows, snapshot_mode)
       values ($file, $practice, $entity, $profile, $encoding, $field,
        cast($from as date), cast($to as date), $source, $rows, $skipped, $mode)`,
        {
          file: fileId,
          practice: practiceId,
          entity: profile.entity,
          profile: profile.id,
          encoding,
          field: coverage.source ? snapshotField : null,
          from: coverage.from,
          to: coverage.to,
          source: coverage.source,
          rows: kept,
          // Rows routed to the file's other entities are theirs, not left out.
          skipped: records - kept - others + BigInt(skippedRejectLines.size),
          mode: coverage.source ? profile.snapshotMode : null,
        },
      );

      warnings.push(
        ...(leavesRowsOut()
          ? await leftOutWarnings(connection, stage, profile, plan, skippedRejectLines, leader)
          : []),
        ...(await emptyPeriodWarnings(connection, { context, profile, kept, coverage, headerLine })),
      );
      for (const header of leader ? detection.unknown : []) {
        warnings.push({
          location: `line ${headerLine}, column ${JSON.stringify(header)}`,
          code: 'unknown_column',
          message: `column not in profile ${profile.id}: not loaded`,
        });
      }
      const repeated = kept - distinctKeys;
      if (repeated > 0n) {
        warnings.push({
          location: 'file',
          code: 'duplicate_key',
          message: `${repeated} row(s) repeat the ${entity.naturalKey.join('+')} of an earlier row: the last row wins`,
        });
      }
      mark('finish');
      return { rowCount: Number(kept), warnings };
    } finally {
      for (const table of created) {
        await connection.run(`drop table if exists ${quoteIdent(table)}`).catch(() => undefined);
      }
    }
  };

  try {
    // Blank lines ending the file in another line ending than its own are still blank lines.
    trimmed = pre
      ? null
      : withoutMixedTrailingBreaks(
          readPath,
          path.join(tmpdir(), `rcm-pm-${process.pid}-${fileId}-trimmed.csv`),
        );
    if (trimmed) readPath = trimmed;
    // A routed file loads every entity of its group, one after the other, in this one transaction.
    const members = profile.route
      ? profile.route.members.map((id) => profiles.find((candidate) => candidate.id === id) ?? profile)
      : [profile];
    let rowCount = 0;
    for (const member of members) {
      const result = await loadEntity(member, member === members[0]);
      rowCount += result.rowCount;
      const prefix = members.length > 1 ? `${member.entity}: ` : '';
      warnings.push(
        ...result.warnings.map((warning) =>
          warning.code === 'unknown_column' ? warning : { ...warning, message: prefix + warning.message },
        ),
      );
    }
    return { rowCount, warnings };
  } finally {
    if (transcoded) rmSync(transcoded, { force: true });
    if (trimmed) rmSync(trimmed, { force: true });
  }
}
