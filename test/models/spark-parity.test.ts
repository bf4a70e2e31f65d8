import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { repoRoot, venvBin } from '../../etl/config.ts';
import { readExportManifest } from '../../etl/warehouse/export-raw.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** The core marts: each must come out of Spark exactly as out of DuckDB. Later marts join this list. */
const CORE_MARTS = [
  'claim_lines',
  'claims',
  'payments',
  'adjustments',
  'ar_snapshots',
  'ar_snapshot_lines',
  'kpi_monthly',
  'kpi_monthly_by_dimension',
  'practice_kpi_targets',
];

const runResults = z.object({
  results: z.array(z.object({ unique_id: z.string(), status: z.string() })),
});

type Query = (sql: string) => Promise<unknown[][]>;

/** A child process in the project folder, without blocking the test's own process (two run at once). */
function run(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: repoRoot, env: { ...process.env, ...env } });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/**
 * The same dbt project on both engines: a generated two-practice warehouse is loaded, its raw layer is exported to
 * Parquet (`rcm export-raw`); DuckDB builds the warehouse while a local Spark session (dbt-spark, session method)
 * builds staging, intermediate and the marts from those files, each with every data test and unit test. Spark
 * writes the marts as Parquet; DuckDB reads them back and compares them with its own, row for row, to the cent,
 * both ways.
 */
describe('the dbt project on Spark equals the DuckDB build', () => {
  const wh = tempWarehouse('spark-parity');
  const inbox = path.join(wh.dir, 'inbox');
  const rawDir = path.join(wh.dir, 'handoff', 'raw');
  const martsDir = path.join(wh.dir, 'handoff', 'marts');
  const sparkTarget = path.join(wh.dir, 'dbt-spark-target');
  let sparkStatuses: Map<string, string>;
  let query: Query;
  let close: () => void;

  beforeAll(async () => {
    expect(
      existsSync(path.join(repoRoot, '.venv', '.requirements-spark.sha256')),
      'the Spark target is not installed: bash scripts/setup-spark.sh',
    ).toBe(true);
    const generated = runRcm([
      'generate',
      '--out',
      inbox,
      '--practices',
      '2',
      '--providers',
      '1',
      '--months',
      '2',
      // the 837P batches too, so the x12 staging models and int_billed_lines build over rows on Spark
      '--emit-837',
    ]);
    expect(generated.code, generated.stderr).toBe(0);
    const load = runRcm(['load', inbox, '--warehouse', wh.database]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    // the raw layer is complete once loaded: export it first, then build it on both engines at once (Spark's JVM
    // keeps about one core busy, DuckDB's build the other)
    const exported = runRcm(['export-raw', '--warehouse', wh.database, '--out', rawDir]);
    expect(exported.code, exported.stdout + exported.stderr).toBe(0);

    const [duck, spark] = await Promise.all([
      run(process.execPath, [
        path.join(repoRoot, 'bin', 'rcm.mjs'),
        'transform',
        '--warehouse',
        wh.database,
        '--',
        'build',
        '--target-path',
        path.join(wh.dir, 'dbt-duckdb-target'),
      ]),
      run(
        venvBin('dbt'),
        [
          'build',
          '--target',
          'spark',
          '--project-dir',
          repoRoot,
          '--profiles-dir',
          repoRoot,
          '--target-path',
          sparkTarget,
        ],
        {
          RCM_RAW_PARQUET: rawDir,
          RCM_SPARK_MARTS_DIR: martsDir,
          RCM_SPARK_WAREHOUSE_DIR: path.join(wh.dir, 'spark-warehouse'),
          RCM_SPARK_THREADS: '2',
          // a few hundred rows a table: one shuffle partition, no generated code, no adaptive re-planning, and
          // a single-threaded garbage collector on two cores (docs/spark.md); the same SQL, the same results
          RCM_SPARK_SHUFFLE_PARTITIONS: '1',
          RCM_SPARK_CODEGEN: 'false',
          RCM_SPARK_ADAPTIVE: 'false',
          PYSPARK_SUBMIT_ARGS: '--driver-java-options "-XX:+UseSerialGC" pyspark-shell',
          DBT_SEND_ANONYMOUS_USAGE_STATS: 'false',
          DO_NOT_TRACK: '1',
        },
      ),
    ]);
    expect(duck.code, duck.stdout + duck.stderr).toBe(0);
    expect(spark.code, `${spark.stdout}\n${spark.stderr}`).toBe(0);
    const results = runResults.parse(
      JSON.parse(readFileSync(path.join(sparkTarget, 'run_results.json'), 'utf8')),
    );
    sparkStatuses = new Map(results.results.map((result) => [result.unique_id, result.status]));

    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run(`attach '${wh.database}' as duck (read_only)`);
    query = async (sql) => (await connection.runAndReadAll(sql)).getRows();
    close = () => {
      connection.closeSync();
      instance.closeSync();
    };
  }, 2_400_000);

  afterAll(() => {
    close?.();
    wh.remove();
  });

  it('exports every raw table, partitioned by practice where it has rows', () => {
    const manifest = readExportManifest(rawDir);
    const charges = manifest.tables.find((table) => table.table === 'pm_charges');
    expect(charges?.partitionedBy).toBe('practice_id');
    expect(readdirSync(path.join(rawDir, 'pm_charges')).sort()).toEqual([
      'practice_id=P001',
      'practice_id=P002',
    ]);
    // the migration log has no practice: one file
    expect(manifest.tables.find((table) => table.table === 'schema_migrations')?.partitionedBy).toBeNull();
    expect(readdirSync(rawDir).filter((name) => !name.startsWith('_')).length).toBe(manifest.tables.length);
  });

  it('reads the export back to the same rows and decimal types', async () => {
    const [[rows, amount]] = (await query(
      `select count(*), sum(charge_amount) from read_parquet('${rawDir}/pm_charges/*/*.parquet', hive_partitioning = true)`,
    )) as [[bigint, unknown]];
    const [[duckRows, duckAmount]] = (await query(
      'select count(*), sum(charge_amount) from duck.raw.pm_charges',
    )) as [[bigint, unknown]];
    expect(rows).toBe(duckRows);
    expect(String(amount)).toBe(String(duckAmount));
    const types = await query(
      `select column_type from (describe select charge_amount from read_parquet('${rawDir}/pm_charges/*/*.parquet'))`,
    );
    expect(types).toEqual([['DECIMAL(18,2)']]);
  });

  it('runs every model, data test and unit test on Spark', () => {
    const statuses = [...sparkStatuses.entries()];
    const failed = statuses.filter(
      ([id, status]) => !id.startsWith('exposure.') && !['success', 'pass'].includes(status),
    );
    expect(failed).toEqual([]);
    const count = (prefix: string) => statuses.filter(([id]) => id.startsWith(prefix)).length;
    expect(count('model.rcm_warehouse.')).toBeGreaterThanOrEqual(30);
    expect(count('test.rcm_warehouse.')).toBeGreaterThanOrEqual(50);
    expect(count('unit_test.rcm_warehouse.')).toBeGreaterThanOrEqual(15);
    for (const mart of CORE_MARTS) expect(sparkStatuses.get(`model.rcm_warehouse.${mart}`)).toBe('success');
  });

  it.each(CORE_MARTS)('%s: Spark equals DuckDB row for row (except all, both ways)', async (mart) => {
    const columns = (
      await query(
        `select column_name from information_schema.columns
         where table_catalog = 'duck' and table_schema = 'marts' and table_name = '${mart}'
         order by ordinal_position`,
      )
    ).map(([name]) => `"${String(name)}"`);
    expect(columns.length).toBeGreaterThan(2);
    const list = columns.join(', ');
    const duckMart = `(select ${list} from duck.marts.${mart})`;
    const sparkMart = `(select ${list} from read_parquet('${martsDir}/${mart}/*.parquet'))`;
    const [[duckRows, sparkRows, onlyDuck, onlySpark]] = (await query(
      `select
         (select count(*) from ${duckMart}),
         (select count(*) from ${sparkMart}),
         (select count(*) from (${duckMart} except all ${sparkMart})),
         (select count(*) from (${sparkMart} except all ${duckMart}))`,
    )) as [[bigint, bigint, bigint, bigint]];
    expect(duckRows).toBeGreaterThan(0n);
    expect({ sparkRows, onlyDuck, onlySpark }).toEqual({ sparkRows: duckRows, onlyDuck: 0n, onlySpark: 0n });
  });

  it('links the Spark marts into a reports-only DuckDB file under the same marts names', async () => {
    const reportsDb = path.join(wh.dir, 'reports-from-spark.duckdb');
    const linked = runRcm(['link-marts', '--from', martsDir, '--warehouse', reportsDb]);
    expect(linked.code, linked.stdout + linked.stderr).toBe(0);
    await query(`attach '${reportsDb}' as from_spark (read_only)`);
    for (const mart of CORE_MARTS) {
      const [[onlyDuck, onlySpark]] = (await query(
        `select
           (select count(*) from (from duck.marts.${mart} except all from from_spark.marts.${mart})),
           (select count(*) from (from from_spark.marts.${mart} except all from duck.marts.${mart}))`,
      )) as [[bigint, bigint]];
      expect({ mart, onlyDuck, onlySpark }).toEqual({ mart, onlyDuck: 0n, onlySpark: 0n });
    }
  });

  it('keeps money exact on Spark: the Parquet marts hold DECIMAL(18,2), never a float', async () => {
    for (const mart of ['claims', 'kpi_monthly', 'ar_snapshots']) {
      const types = new Map(
        (await query(`describe select * from read_parquet('${martsDir}/${mart}/*.parquet')`)).map(
          ([name, type]) => [String(name), String(type)],
        ),
      );
      const money = mart === 'claims' ? 'balance' : mart === 'kpi_monthly' ? 'ar_total' : 'balance';
      expect(types.get(money)).toBe('DECIMAL(18,2)');
      expect([...types.values()].filter((type) => /DOUBLE|FLOAT/.test(type))).toEqual([]);
    }
    // and the A/R total is the same figure to the cent
    const [[duckTotal, sparkTotal]] = (await query(
      `select (select sum(ar_total) from duck.marts.kpi_monthly),
              (select sum(ar_total) from read_parquet('${martsDir}/kpi_monthly/*.parquet'))`,
    )) as [[unknown, unknown]];
    expect(String(sparkTotal)).toBe(String(duckTotal));
  });
});
