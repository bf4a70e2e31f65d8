// `dbt source freshness` on a loaded warehouse: the 835s and the monthly exports are judged by when their files
// were loaded, for the practice whose newest file of the kind is oldest. Load times are set back by hand, so each
// status below follows from the thresholds in models/staging/{era,pm}/_*__sources.yml: 835 warn after 14 days,
// error after 30; monthly exports warn after 35, error after 45.
import { spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { repoRoot, venvBin } from '../../etl/config.ts';
import { pipelineEnv } from '../../etl/pipeline/offline-env.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

interface FreshnessResults {
  results: { unique_id: string; status: string; max_loaded_at: string }[];
}

const DAY_MS = 86_400_000;

/** raw.files.loaded_at is a TIMESTAMP written in UTC. */
const timestamp = (ms: number): string => new Date(ms).toISOString().slice(0, 19).replace('T', ' ');

describe('dbt source freshness', () => {
  const wh = tempWarehouse('source-freshness');
  afterAll(() => wh.remove());

  it('warns and errors per source from the stalest practice, and rcm status reads freshness.stale_835_days', async () => {
    const inbox = path.join(wh.dir, 'inbox');
    generatedInbox(inbox, { practices: 2, providers: 1, months: 1 });
    const loaded = runRcm(['load', inbox, '--warehouse', wh.database]);
    expect(loaded.code, loaded.stdout + loaded.stderr).toBe(0);

    // Whole seconds, so the times read back compare exactly.
    const now = Math.floor(Date.now() / 1000) * 1000;
    const setBack: [practice: string, kind: string, days: number][] = [
      ['P001', '835', 20], // P002's 835s are fresh: a newest-of-all rule would pass
      ['P001', 'pm:charges', 50],
      ['P002', 'pm:payments', 40],
      ['P001', 'bank:deposits', 10],
    ];
    const instance = await DuckDBInstance.create(wh.database);
    const connection = await instance.connect();
    const practices = await connection.runAndReadAll(
      `select distinct practice_id from raw.files where status = 'loaded' order by 1`,
    );
    expect(practices.getRows().map((row) => row[0])).toEqual(['P001', 'P002']);
    const kinds = await connection.runAndReadAll(
      `select distinct file_kind from raw.files where status = 'loaded' order by 1`,
    );
    expect(kinds.getRows().map((row) => row[0])).toEqual(
      expect.arrayContaining(['835', 'pm:charges', 'pm:payments', 'pm:adjustments', 'pm:appointments']),
    );
    for (const [practice, kind, days] of setBack) {
      await connection.run(
        `update raw.files set loaded_at = $at::timestamp where practice_id = $practice and file_kind = $kind`,
        { at: timestamp(now - days * DAY_MS), practice, kind },
      );
    }
    connection.closeSync();
    instance.closeSync();

    const target = path.join(wh.dir, 'target');
    const dbt = spawnSync(
      venvBin('dbt'),
      ['source', 'freshness', '--project-dir', repoRoot, '--profiles-dir', repoRoot, '--target-path', target],
      // TZ: the session's current_timestamp and the UTC load times on one clock
      { cwd: repoRoot, env: { ...process.env, ...pipelineEnv(wh.database), TZ: 'UTC' }, encoding: 'utf8' },
    );
    // dbt exits 1 when a source is past error_after
    expect(dbt.status, dbt.stdout + dbt.stderr).toBe(1);
    const { results } = JSON.parse(
      readFileSync(path.join(target, 'sources.json'), 'utf8'),
    ) as FreshnessResults;
    const statuses = Object.fromEntries(
      results.map((r) => [r.unique_id.replace('source.rcm_warehouse.', ''), r.status]),
    );
    expect(statuses).toEqual({
      'era.era_remittances': 'warn', // 20 days: past 14, within 30
      'pm.pm_charges': 'error', // 50 days: past 45
      'pm.pm_payments': 'warn', // 40 days: past 35, within 45
      'pm.bank_deposits': 'pass', // 10 days
      'pm.pm_adjustments': 'pass', // loaded just now
      'pm.pm_appointments': 'pass',
      'pm.pm_patients': 'pass',
    });
    const era = results.find((r) => r.unique_id === 'source.rcm_warehouse.era.era_remittances');
    expect(Date.parse(era?.max_loaded_at ?? '')).toBe(now - 20 * DAY_MS);

    // rcm status: 20 days without an 835 is stale at the default 14 days, not at a setting of 21
    const status = (config: string) => {
      const result = runRcm(['status', '--json', '--warehouse', wh.database, '--config', config]);
      expect(result.code, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as { warnings: string[] }).warnings.filter((w) => w.includes('835'));
    };
    const defaults = path.join(wh.dir, 'defaults.yaml');
    writeFileSync(defaults, 'practices: []\n');
    expect(status(defaults)).toEqual(['P001: no 835 for 20 days']);
    const lenient = path.join(wh.dir, 'lenient.yaml');
    writeFileSync(lenient, 'freshness:\n  stale_835_days: 21\n');
    expect(status(lenient)).toEqual([]);
  }, 300_000); // generate, load two practices, one dbt parse and run
});
