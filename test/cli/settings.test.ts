import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXIT } from '../../etl/cli/exit-codes.ts';
import { repoRoot } from '../../etl/config.ts';
import { settingsDbtVars } from '../../etl/settings/dbt-vars.ts';
import { loadSettings } from '../../etl/settings/load.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const SETTINGS = `# the practice's own comment, kept by rcm practice add
warehouse: ./data/rcm.duckdb
inbox: ./inbox
schedule:
  cron: "30 6 * * 1-5"
  timezone: America/Chicago
practices:
  - id: P001
    name: "O'Brien & Daughters Family Medicine"
    timezone: America/Chicago
    rejection_sla_business_days: 3
    kpi_targets:
      days_in_ar: { target: 31.5, poor: 44 }
      net_collection_rate: { target: 0.965 }
    billing_vendor_changes:
      - { date: 2025-01-01, vendor: Acme Billing }
    timely_filing_days: { BCBS: 180 }
`;

describe('the settings file', () => {
  const wh = tempWarehouse('settings');
  const file = path.join(wh.dir, 'rcm.config.yaml');
  const env = { RCM_CONFIG: file };
  beforeAll(() => writeFileSync(file, SETTINGS));
  afterAll(() => wh.remove());

  it('resolves paths against its own folder and lets the environment override them', () => {
    const { settings } = loadSettings({ RCM_CONFIG: file }, '/');
    expect(settings.warehouse).toBe(path.join(wh.dir, 'data', 'rcm.duckdb'));
    expect(settings.inbox).toBe(path.join(wh.dir, 'inbox'));
    expect(settings.practices[0]).toMatchObject({
      rejection_sla_business_days: 3,
    });
    const overridden = loadSettings(
      { RCM_CONFIG: file, RCM_WAREHOUSE: '/srv/rcm.duckdb', RCM_SCHEDULE: '0 5 * * *' },
      '/',
    );
    expect(overridden.settings.warehouse).toBe('/srv/rcm.duckdb');
    expect(overridden.settings.schedule).toEqual({ cron: '0 5 * * *', timezone: 'America/Chicago' });
  });

  it('gives every bad key with the value expected and what it got, exit code 7', () => {
    const bad = path.join(wh.dir, 'bad.yaml');
    writeFileSync(
      bad,
      [
        'schedule: { cron: "every morning" }',
        'practices:',
        '  - { id: P001, name: A, timezone: Central, rejection_sla_business_days: two }',
        '  - { id: P001, name: B, colour: blue }',
      ].join('\n'),
    );
    const result = runRcm(['status', '--config', bad, '--warehouse', wh.database]);
    expect(result.code).toBe(EXIT.badSettings);
    const lines = result.stderr.split('\n');
    expect(lines[0]).toBe(`rcm status: ${bad}: invalid settings`);
    expect(lines).toContain(
      '  schedule.cron: expected a cron expression such as "30 6 * * 1-5" (minute hour day month weekday), got "every morning"',
    );
    expect(lines).toContain(
      '  practices[0].timezone: expected an IANA time zone such as America/Chicago, got "Central"',
    );
    expect(lines).toContain('  practices[0].rejection_sla_business_days: expected number, got "two"');
    expect(lines).toContain("  practices[1]: unknown key 'colour' (docs/usage.md lists the settings)");

    writeFileSync(bad, 'practices:\n  - { id: P001, name: A }\n  - { id: P001, name: B }\n');
    const twice = runRcm(['status', '--config', bad]);
    expect(twice.code).toBe(EXIT.badSettings);
    expect(twice.stderr).toContain('  practices: expected practice ids used once each, got [{"id":"P001"');

    writeFileSync(bad, 'practices: [\n');
    const broken = runRcm(['status', '--config', bad]);
    expect(broken.code).toBe(EXIT.badSettings);
    expect(broken.stderr).toMatch(new RegExp(`${bad}:\\d+:\\d+: not valid YAML`));
    expect(runRcm(['status', '--config', path.join(wh.dir, 'none.yaml')]).stderr).toContain(
      'no such settings file',
    );
  });

  it('passes the practices to dbt as vars, numbers as text so decimals stay exact', () => {
    const vars = settingsDbtVars(loadSettings(env, '/').settings);
    expect(vars.rcm_practices).toEqual([
      {
        practice_id: 'P001',
        practice_name: "O'Brien & Daughters Family Medicine",
        time_zone: 'America/Chicago',
        rejection_sla_business_days: 3,
        small_cell_min_claims: null,
      },
    ]);
    expect(vars.rcm_kpi_targets).toEqual([
      { practice_id: 'P001', kpi_name: 'days_in_ar', target_value: '31.5', poor_value: '44' },
      { practice_id: 'P001', kpi_name: 'net_collection_rate', target_value: '0.965', poor_value: null },
    ]);
    expect(vars.rcm_filing_limits).toEqual([
      { practice_id: 'P001', payer_id: 'BCBS', filing_limit_days: 180 },
    ]);
  });

  it('rcm practice add keeps the comments, refuses a duplicate or bad value and leaves the file unchanged', () => {
    const added = runRcm(
      ['practice', 'add', 'P002', '--name', 'Lakeside Pediatrics', '--timezone', 'America/Denver'],
      env,
    );
    expect(added.code, added.stderr).toBe(0);
    expect(added.stdout).toContain(`its files go in ${path.join(wh.dir, 'inbox', 'P002')}/`);
    const text = readFileSync(file, 'utf8');
    expect(text.startsWith("# the practice's own comment, kept by rcm practice add\n")).toBe(true);
    expect(loadSettings(env, '/').settings.practices.map((p) => [p.id, p.name, p.timezone])).toEqual([
      ['P001', "O'Brien & Daughters Family Medicine", 'America/Chicago'],
      ['P002', 'Lakeside Pediatrics', 'America/Denver'],
    ]);
    const duplicate = runRcm(['practice', 'add', 'P002', '--name', 'Again'], env);
    expect(duplicate.code).toBe(EXIT.badSettings);
    expect(duplicate.stderr).toContain("a practice with id 'P002' is already there");
    const badZone = runRcm(['practice', 'add', 'P003', '--name', 'X', '--timezone', 'Mars/Olympus'], env);
    expect(badZone.code).toBe(EXIT.badSettings);
    expect(badZone.stderr).toContain('practices[2].timezone: expected an IANA time zone');
    expect(readFileSync(file, 'utf8')).toBe(text);
    const list = JSON.parse(runRcm(['practice', 'list', '--json'], env).stdout);
    expect(list.practices.map((p: { practice_id: string }) => p.practice_id)).toEqual(['P001', 'P002']);
    expect(runRcm(['practice', 'show', 'P404'], env).code).toBe(EXIT.error);
    expect(runRcm(['practice', 'frobnicate'], env).code).toBe(EXIT.usage);
  });

  it('reaches the marts: a settings target overrides the seed, the practice gets its name', async () => {
    generatedInbox(path.join(wh.dir, 'generated'), { practices: 1, providers: 1, months: 1 });
    const load = runRcm(['load', path.join(wh.dir, 'generated')], env);
    expect(load.code, load.stderr).toBe(0);
    const dbt = runRcm(
      [
        'transform',
        '--',
        'build',
        '--select',
        '+practice_kpi_targets',
        'stg_settings__practices',
        // only tests whose every parent is built here (a singular test may read marts not selected)
        '--indirect-selection',
        'cautious',
      ],
      env,
    );
    expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
    const instance = await DuckDBInstance.create(path.join(wh.dir, 'data', 'rcm.duckdb'), {
      access_mode: 'READ_ONLY',
    });
    const connection = await instance.connect();
    const rows = async (sql: string) => (await connection.runAndReadAll(sql)).getRowObjectsJson();
    try {
      expect(
        await rows(
          `select kpi_name, target_value::varchar as target, poor_value::varchar as poor, is_practice_override
             from marts.practice_kpi_targets
            where practice_id = 'P001' and kpi_name in ('days_in_ar', 'net_collection_rate', 'days_in_ar_mgma')
            order by kpi_name`,
        ),
      ).toEqual([
        { kpi_name: 'days_in_ar', target: '31.5000', poor: '44.0000', is_practice_override: true },
        // Seed default (35 / 50, domain reference §4): the settings do not name this one.
        { kpi_name: 'days_in_ar_mgma', target: '35.0000', poor: '50.0000', is_practice_override: false },
        { kpi_name: 'net_collection_rate', target: '0.9650', poor: null, is_practice_override: true },
      ]);
      expect(
        await rows('select practice_id, practice_name from staging.stg_settings__practices order by 1'),
      ).toEqual([
        { practice_id: 'P001', practice_name: "O'Brien & Daughters Family Medicine" },
        { practice_id: 'P002', practice_name: 'Lakeside Pediatrics' },
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });

  it('rcm schedule logs its next run, and stops cleanly on SIGTERM', async () => {
    const child = spawn(process.execPath, [path.join(repoRoot, 'bin', 'rcm.mjs'), 'schedule'], {
      cwd: repoRoot,
      env: { ...process.env, ...env },
    });
    let stdout = '';
    let signalled = false;
    child.stdout.on('data', (chunk) => {
      stdout += String(chunk);
      // One signal only: every later chunk ("stopping", "stopped") would send another, and one that lands while
      // node is tearing down after a clean stop ends it by the default action (exit code null), which is not
      // what this test is about.
      if (!signalled && stdout.includes('scheduled:')) {
        signalled = true;
        child.kill('SIGTERM');
      }
    });
    const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
      child.on('close', (exitCode, exitSignal) => resolve([exitCode, exitSignal])),
    );
    expect({ code, signal }).toEqual({ code: 0, signal: null });
    expect(stdout).toMatch(
      /scheduled: rcm run at "30 6 \* \* 1-5" \(America\/Chicago\); next \d{4}-\d\d-\d\dT1[12]:30:00\.000Z/,
    );
    const log = readFileSync(path.join(wh.dir, 'data', 'logs', 'schedule.jsonl'), 'utf8')
      .trim()
      .split('\n');
    expect(log.map((line) => JSON.parse(line).event)).toEqual(['scheduled', 'stopping', 'stopped']);
  });
});
