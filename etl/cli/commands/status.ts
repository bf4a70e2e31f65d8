import { existsSync } from 'node:fs';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadSettings } from '../../settings/load.ts';
import { openWarehouseReadOnly } from '../../warehouse/connection.ts';
import { readDeferredRuns } from '../../warehouse/run-log.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

type Row = Record<string, string | number | boolean | null>;

export interface Status {
  warehouse: string;
  runs: Row[];
  /** Runs that found the warehouse busy and are not in raw.runs yet. */
  deferredRuns: Row[];
  newestFiles: Row[];
  quarantined: Row[];
  warnings: string[];
}

/**
 * `rcm status`: reads the warehouse read-only and reports the last runs (raw.runs), per practice and source
 * kind the newest loaded file (raw.files), files still quarantined with their reasons, and freshness warnings.
 * Freshness counts from when a file was loaded, as that is when the practice last received it.
 */
export async function statusCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      ...warehouseOption,
      runs: { type: 'string', default: '10' },
      // unset: the settings file's freshness.stale_835_days (14 without one)
      'stale-835-days': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const runs = wholeNumber('--runs', values.runs);
  const { database } = resolveWarehouse(values);
  const staleText = values['stale-835-days'];
  const staleDays =
    staleText === undefined
      ? loadSettings().settings.freshness.stale_835_days
      : wholeNumber('--stale-835-days', staleText);
  if (!existsSync(database)) {
    process.stderr.write(`no warehouse at ${database} yet: \`rcm run INBOX\` creates it\n`);
    return EXIT.error;
  }
  // A writer (a run, or its dbt) keeps even read-only opens out; say so rather than wait.
  let warehouse: Awaited<ReturnType<typeof openWarehouseReadOnly>>;
  try {
    warehouse = await openWarehouseReadOnly(database);
  } catch (error) {
    if (/lock/i.test((error as Error).message)) {
      process.stderr.write(`the warehouse is busy (a run is writing it); try again when it ends\n`);
      return EXIT.lockHeld;
    }
    throw error;
  }
  let status: Status;
  try {
    status = await readStatus(warehouse.connection, database, { runs, staleDays });
  } finally {
    warehouse.close();
  }
  process.stdout.write(
    values.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status, staleDays),
  );
  return EXIT.ok;
}

function wholeNumber(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} takes a whole number, got '${text}'`);
  return Number(text);
}

export async function readStatus(
  connection: DuckDBConnection,
  database: string,
  options: { runs: number; staleDays: number },
): Promise<Status> {
  const read = async (sql: string, params: Record<string, number> = {}) =>
    (await connection.runAndReadAll(sql, params)).getRowObjectsJson() as Row[];
  const tables = new Set(
    (await read(`select table_name from duckdb_tables() where schema_name = 'raw'`)).map((r) =>
      String(r.table_name),
    ),
  );
  // A warehouse from before the run log (not yet opened by a newer rcm) simply has no runs to show.
  const runs = tables.has('runs')
    ? await read(
        `select run_id, command, strftime(started_at, '%Y-%m-%dT%H:%M:%SZ') as started_at,
                strftime(finished_at, '%Y-%m-%dT%H:%M:%SZ') as finished_at,
                coalesce(outcome, 'running or killed') as outcome, exit_code, last_step,
                round(epoch(finished_at) - epoch(started_at), 1)::double as seconds,
                files_loaded, files_skipped, files_quarantined, rows_loaded::double as rows_loaded,
                load_seconds, dbt_seconds, reports_seconds, error_message
           from raw.runs order by started_at desc limit $n`,
        { n: options.runs },
      )
    : [];
  const newestFiles = await read(
    `select practice_id, file_kind, count(*)::integer as files,
            arg_max(original_name, file_id) as newest_file,
            strftime(max(loaded_at), '%Y-%m-%d') as newest_loaded_on
       from raw.files where status = 'loaded' group by all order by practice_id, file_kind`,
  );
  // Still quarantined: no later load of the same content succeeded.
  const quarantined = await read(
    `select q.practice_id, q.original_name, q.file_kind, strftime(q.loaded_at, '%Y-%m-%d %H:%M') as quarantined_at,
            q.error_location, q.error_message, q.stored_path
       from raw.files q
      where q.status = 'quarantined'
        and not exists (select 1 from raw.files l where l.sha256 = q.sha256 and l.status = 'loaded')
      order by q.loaded_at desc, q.file_id desc`,
  );
  const freshness = await read(
    `select practice_id,
            date_diff('day', max(loaded_at) filter (where file_kind = '835'), current_timestamp::timestamp)::integer
              as days_since_835,
            count(*) filter (where file_kind like 'pm:%'
              and date_trunc('month', loaded_at) = date_trunc('month', current_timestamp::timestamp))::integer
              as pm_exports_this_month
       from raw.files where status = 'loaded' group by practice_id order by practice_id`,
  );
  const warnings: string[] = [];
  for (const f of freshness) {
    if (f.days_since_835 === null) warnings.push(`${f.practice_id}: no 835 remittance loaded yet`);
    else if (Number(f.days_since_835) > options.staleDays)
      warnings.push(`${f.practice_id}: no 835 for ${f.days_since_835} days`);
    if (f.pm_exports_this_month === 0) warnings.push(`${f.practice_id}: no PM export loaded this month`);
  }
  const deferredRuns = readDeferredRuns(database).map(
    (run): Row => ({
      run_id: run.runId,
      command: run.command,
      started_at: run.startedAt.toISOString(),
      outcome: run.outcome,
      exit_code: run.exitCode,
      error_message: run.errorMessage,
    }),
  );
  return { warehouse: database, runs, deferredRuns, newestFiles, quarantined, warnings };
}

export function formatStatus(status: Status, staleDays: number): string {
  const lines = [`warehouse ${status.warehouse}`, '', 'last runs (UTC):'];
  if (status.runs.length === 0 && status.deferredRuns.length === 0) lines.push('  none recorded');
  for (const r of [...status.deferredRuns, ...status.runs]) {
    const files =
      r.files_loaded === undefined || r.files_loaded === null
        ? ''
        : `  files ${r.files_loaded} loaded, ${r.files_skipped} already, ${r.files_quarantined} quarantined; rows ${r.rows_loaded}`;
    const seconds = r.seconds === undefined || r.seconds === null ? '' : `  ${r.seconds}s`;
    lines.push(
      `  ${r.started_at}  ${String(r.command).padEnd(9)} ${String(r.outcome).padEnd(14)}${seconds}${files}`,
    );
    const steps = (['load', 'dbt', 'reports'] as const)
      .filter((name) => typeof r[`${name}_seconds`] === 'number')
      .map((name) => `${name} ${r[`${name}_seconds`]}s`);
    if (steps.length > 0) lines.push(`      steps: ${steps.join(', ')}`);
    if (r.error_message) lines.push(`      ${r.error_message}`);
  }
  lines.push('', 'newest file per practice and source:');
  if (status.newestFiles.length === 0) lines.push('  nothing loaded yet');
  for (const f of status.newestFiles) {
    lines.push(
      `  ${f.practice_id}  ${String(f.file_kind).padEnd(24)} ${f.newest_loaded_on}  ${f.newest_file}  (${f.files} files)`,
    );
  }
  lines.push('', 'quarantined files:');
  if (status.quarantined.length === 0) lines.push('  none');
  for (const q of status.quarantined) {
    lines.push(`  ${q.practice_id}  ${q.original_name} (${q.file_kind}, ${q.quarantined_at})`);
    lines.push(`      ${q.error_location}: ${q.error_message}`);
  }
  lines.push('', `freshness (835 within ${staleDays} days, a PM export this month):`);
  if (status.warnings.length === 0) lines.push('  ok');
  for (const w of status.warnings) lines.push(`  warning: ${w}`);
  return `${lines.join('\n')}\n`;
}
