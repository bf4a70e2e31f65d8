import { cpSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../etl/cli/exit-codes.ts';
import { type Fingerprint, fingerprint } from '../../etl/warehouse/fingerprint.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

type RunRow = Record<string, string | number | null>;

async function readWarehouse<T>(database: string, work: (c: DuckDBInstance) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  try {
    return await work(instance);
  } finally {
    instance.closeSync();
  }
}

async function runRows(database: string): Promise<RunRow[]> {
  return readWarehouse(database, async (instance) => {
    const connection = await instance.connect();
    const rows = (
      await connection.runAndReadAll(
        `select command, outcome, exit_code, last_step, files_loaded, files_skipped, files_quarantined,
                rows_loaded::integer as rows_loaded, dbt_seconds is not null as dbt_ran,
                finished_at >= started_at as ordered, error_message
           from raw.runs order by started_at, finished_at`,
      )
    ).getRowObjectsJson() as RunRow[];
    connection.closeSync();
    return rows;
  });
}

async function warehouseFingerprint(database: string): Promise<Fingerprint> {
  return readWarehouse(database, async (instance) => {
    const connection = await instance.connect();
    const result = await fingerprint(connection);
    connection.closeSync();
    return result;
  });
}

/**
 * `rcm run` as a subprocess against a temporary warehouse and a one-practice, one-month generated inbox. The
 * Evidence build takes minutes, so these runs write the site into a folder holding another file, which
 * build-reports.sh refuses at once: load and the real dbt build run, the reports step fails (exit 5) and the
 * folder is left as it was. The whole path with a real site is the demo's and the page test's.
 */
describe('rcm run and the run log', () => {
  const wh = tempWarehouse('run');
  const inbox = path.join(wh.dir, 'inbox');
  const site = path.join(wh.dir, 'site');
  const args = (...more: string[]) => ['run', '--warehouse', wh.database, '--out', site, ...more];

  beforeAll(() => {
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '1',
      '--providers',
      '1',
      '--months',
      '1',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    mkdirSync(site);
    writeFileSync(path.join(site, 'keep.txt'), 'not a report site');
  });
  afterAll(() => wh.remove());

  it('refuses a bad argument with exit code 2 and its usage, before touching the warehouse', () => {
    const bogus = runRcm(args('--bogus', inbox));
    expect(bogus.code).toBe(EXIT.usage);
    expect(bogus.stderr).toContain("Unknown option '--bogus'");
    expect(bogus.stderr).toContain('usage: rcm run');
    const missing = runRcm(args(path.join(wh.dir, 'no-such-inbox')));
    expect(missing.code).toBe(EXIT.usage);
    expect(missing.stderr).toContain('is not a folder');
    expect(existsSync(wh.database)).toBe(false);
  });

  it('exits 6 while another run holds the lock, naming its pid, and logs the attempt once the lock is free', () => {
    const lock = `${wh.database}.lock`;
    writeFileSync(lock, String(process.pid)); // this test process is alive: the lock is held
    try {
      const held = runRcm(args(inbox));
      expect(held.code).toBe(EXIT.lockHeld);
      expect(held.stderr).toContain(`another rcm run (pid ${process.pid}, since `);
    } finally {
      writeFileSync(lock, ''); // a lock file with no live pid is taken over by the next run
    }
    expect(existsSync(wh.database)).toBe(false); // the held warehouse was never opened
    expect(readFileSync(`${wh.database}.runs-pending`, 'utf8')).toContain('"lock_held"');
  });

  let first: Fingerprint;
  it('loads and builds dbt, stops at the failed report step with exit 5 and leaves the site folder alone', async () => {
    const result = runRcm(args(inbox));
    expect(result.code, result.stdout + result.stderr).toBe(EXIT.reportsFailed);
    expect(result.stdout).toContain('stopped: the report build failed; the previous reports stay in place');
    expect(readFileSync(path.join(site, 'keep.txt'), 'utf8')).toBe('not a report site');
    const rows = await runRows(wh.database);
    expect(rows.map((r) => [r.command, r.outcome, r.exit_code])).toEqual([
      ['run', 'lock_held', EXIT.lockHeld],
      ['run', 'reports_failed', EXIT.reportsFailed],
    ]);
    const run = rows[1] as RunRow;
    expect(run).toMatchObject({
      last_step: 'reports',
      files_skipped: 0,
      files_quarantined: 0,
      dbt_ran: true,
    });
    expect(run.files_loaded).toBeGreaterThan(10);
    expect(run.rows_loaded).toBeGreaterThan(100);
    expect(run.ordered).toBe(true);
    expect(existsSync(`${wh.database}.runs-pending`)).toBe(false);
    first = await warehouseFingerprint(wh.database);
    expect(Object.keys(first.marts).length).toBeGreaterThan(0);
    // The same run as a JSON file for log shippers, beside the warehouse.
    const runFiles = readdirSync(path.join(wh.dir, 'logs', 'runs')).filter((f) => f.includes('_run_'));
    expect(runFiles).toHaveLength(1);
    const logged = JSON.parse(readFileSync(path.join(wh.dir, 'logs', 'runs', runFiles[0] as string), 'utf8'));
    expect(logged).toMatchObject({ command: 'run', outcome: 'reports_failed', exitCode: EXIT.reportsFailed });
    expect(logged.filesLoaded).toBe(run.files_loaded);
  });

  it('run twice on the same inbox: the second loads nothing and the warehouse is unchanged', async () => {
    const again = runRcm(args(inbox));
    expect(again.code).toBe(EXIT.reportsFailed);
    expect(again.stdout).toMatch(/loaded 0, already loaded \d+, quarantined 0/);
    expect(await warehouseFingerprint(wh.database)).toEqual(first);
    const last = (await runRows(wh.database)).at(-1) as RunRow;
    expect(last).toMatchObject({ outcome: 'reports_failed', files_loaded: 0, rows_loaded: 0 });
    expect(last.files_skipped).toBeGreaterThan(10);
  });

  it('stops after the load with exit 3 when a file is quarantined; status lists it and the runs', async () => {
    const bad = path.join(wh.dir, 'inbox-bad');
    cpSync(inbox, bad, { recursive: true });
    writeFileSync(path.join(bad, 'P001', 'notes.txt'), 'call the payer about the March batch\n');
    const result = runRcm(args(bad));
    expect(result.code).toBe(EXIT.quarantined);
    const last = (await runRows(wh.database)).at(-1) as RunRow;
    expect(last).toMatchObject({
      outcome: 'quarantined',
      last_step: 'load',
      files_quarantined: 1,
      dbt_ran: false,
    });

    const status = runRcm(['status', '--warehouse', wh.database]);
    expect(status.code, status.stderr).toBe(0);
    expect(status.stdout).toMatch(/run\s+quarantined/);
    expect(status.stdout).toMatch(/run\s+lock_held/);
    expect(status.stdout).toContain('notes.txt (unknown');
    expect(status.stdout).toMatch(/P001\s+835\s+\d{4}-\d{2}-\d{2}\s+\S+\.835/);

    const json = JSON.parse(runRcm(['status', '--warehouse', wh.database, '--json']).stdout);
    expect(json.runs[0]).toMatchObject({
      command: 'run',
      outcome: 'quarantined',
      exit_code: EXIT.quarantined,
    });
    expect(json.quarantined.map((q: { original_name: string }) => q.original_name)).toEqual(['notes.txt']);
    expect(json.newestFiles.some((f: { file_kind: string }) => f.file_kind === '835')).toBe(true);
    // Everything was loaded just now: no freshness warning.
    expect(json.warnings).toEqual([]);
  });

  it('rcm transform exits 4 and logs dbt_failed when dbt fails', async () => {
    // An unknown dbt command fails in seconds, where a broken model would need a broken project.
    const result = runRcm(['transform', '--warehouse', wh.database, '--', 'no-such-dbt-command']);
    expect(result.code).toBe(EXIT.dbtFailed);
    const last = (await runRows(wh.database)).at(-1) as RunRow;
    expect(last).toMatchObject({
      command: 'transform',
      outcome: 'dbt_failed',
      last_step: 'dbt',
      dbt_ran: true,
    });
  });

  it('status warns about a practice with no 835 yet', () => {
    const charges = path.join(wh.dir, 'charges.csv');
    writeFileSync(
      charges,
      'claim_id,line_number,patient_id,service_date,cpt,charge_amount\nC1,1,X1,2024-01-05,99213,125.00\n',
    );
    const load = runRcm(['load', '--warehouse', wh.database, '--practice', 'P002', charges]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    const status = runRcm(['status', '--warehouse', wh.database]);
    expect(status.stdout).toContain('warning: P002: no 835 remittance loaded yet');
    expect(status.stdout).not.toContain('warning: P001');
    expect(runRcm(['status', '--warehouse', wh.database, '--runs', 'x']).code).toBe(EXIT.usage);
  });
});
