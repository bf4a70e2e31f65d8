import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { inject } from 'vitest';
import { repoRoot, venvBin } from '../../etl/config.ts';
import { pipelineEnv } from '../../etl/pipeline/offline-env.ts';

const STAGING = path.join(repoRoot, 'models', 'staging');

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(full);
    return entry.name.endsWith('.sql') ? [full] : [];
  });
}

/** Each staging model's `{{ pm_current('source', 'table', …) }}` call, by raw table name. */
export function pmCurrentCalls(): Map<string, string> {
  const calls = new Map<string, string>();
  for (const file of sqlFiles(STAGING)) {
    for (const match of readFileSync(file, 'utf8').matchAll(
      /\{\{\s*pm_current\(\s*'\w+'\s*,\s*'(\w+)'[^}]*\}\}/g,
    ))
      calls.set(match[1] as string, match[0]);
  }
  return calls;
}

const SEPARATOR = '-- rcm-test: next table';

/**
 * The current rows of raw PM tables under the PM snapshot rules exactly as the staging models apply them (macro
 * pm_current, macros/pm_snapshot.sql, with each staging model's own key and date columns), compiled by one
 * `dbt compile` into SQL over the `raw` schema: a test of what the loader wrote can read what staging keeps
 * without a dbt build. Each value is a select of the raw table's columns, to use as a subquery.
 */
export function compilePmCurrentSql(tables: readonly string[]): Record<string, string> {
  const calls = pmCurrentCalls();
  const inline = tables
    .map((table) => {
      const call = calls.get(table);
      if (!call) throw new Error(`no staging model applies pm_current to raw.${table}`);
      return call;
    })
    .join(`\n${SEPARATOR}\n`);
  const dir = mkdtempSync(path.join(tmpdir(), 'rcm-pm-current-'));
  try {
    const compiled = execFileSync(
      venvBin('dbt'),
      [
        'compile',
        '--quiet',
        '--inline',
        inline,
        '--project-dir',
        repoRoot,
        '--profiles-dir',
        repoRoot,
        '--target-path',
        path.join(dir, 'target'),
        '--log-path',
        path.join(dir, 'logs'),
      ],
      // dbt-duckdb opens the profile's file to compile; names in the SQL are then "compile"."raw".<table>
      {
        cwd: repoRoot,
        env: { ...process.env, ...pipelineEnv(path.join(dir, 'compile.duckdb')) },
        encoding: 'utf8',
      },
    );
    const parts = compiled.replaceAll('"compile"."raw".', 'raw.').split(SEPARATOR);
    if (parts.length !== tables.length)
      throw new Error(`dbt compile printed ${parts.length} parts:\n${compiled}`);
    return Object.fromEntries(tables.map((table, index) => [table, (parts[index] as string).trim()]));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

declare module 'vitest' {
  export interface ProvidedContext {
    /** compilePmCurrentSql of every table a staging model applies pm_current to (test/setup/pm-current.ts). */
    pmCurrentSql: Record<string, string>;
  }
}

/**
 * compilePmCurrentSql for the given tables, from the one `dbt compile` the suite's global setup ran (a compile
 * parses the whole project: once per run, not once per test file).
 */
export function pmCurrentSql(tables: readonly string[]): Record<string, string> {
  const all = inject('pmCurrentSql');
  return Object.fromEntries(
    tables.map((table) => {
      const sql = all[table];
      if (!sql) throw new Error(`no staging model applies pm_current to raw.${table}`);
      return [table, sql];
    }),
  );
}
