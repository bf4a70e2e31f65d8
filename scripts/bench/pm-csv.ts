/**
 * Benchmark: loading PM CSV exports through their mapping profile, against DuckDB's own `read_csv` floor.
 *
 *   npx tsx scripts/bench/pm-csv.ts [rows=1000000] [runs=3]
 *
 * For two dialects (canonical: plain values; ledger: every field quoted, $1,234.56 and (12.00) amounts,
 * MM/DD/YYYY dates, a totals row) it writes a charges export of `rows` claim lines, then measures, each the
 * median of `runs` runs in a fresh warehouse file:
 *   - floor, parse: `select count(*) from read_csv(…)` with every column VARCHAR (DuckDB reading the bytes);
 *   - floor, load: `create table … as select * from read_csv(…)` with every column VARCHAR into a new DuckDB
 *     file (DuckDB reading the bytes and storing them: what any CSV load must at least do);
 *   - the PM loader: `loadFile` with the profile loader (hash, detect, scan, stage with every conversion and
 *     check, insert into raw.pm_charges, archive copy, commit), with its phases.
 * Results are rows/s and the ratio to the load floor. Not a test: nothing here fails on speed.
 */
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { warehousePaths } from '../../etl/config.ts';
import { createCsvLoader } from '../../etl/load/csv-loader.ts';
import { CANONICAL, sqlTypes } from '../../etl/pm/canonical.ts';
import { loadProfiles } from '../../etl/pm/profile.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { loadFile } from '../../etl/warehouse/load-file.ts';

const rows = Number(process.argv[2] ?? 1_000_000);
const runs = Number(process.argv[3] ?? 3);
const keep = process.env.RCM_BENCH_KEEP; // a folder to write the CSV files to and keep (for profiling)
const dir = keep ?? mkdtempSync(path.join(tmpdir(), 'rcm-bench-pm-'));

const chargeFields = CANONICAL.charges.fields.map((field) => field.name);
const ledgerHeaders = loadProfiles()
  .find((profile) => profile.id === 'ledger/charges')
  ?.columns.map((column) => [column.header, column.fields[0]?.name as string]) as [string, string][];

/** One row per claim line: SQL expressions of the canonical values, by field. */
const values: Record<string, string> = {
  claim_id: "'C' || lpad(cast(i // 3 as varchar), 9, '0')",
  line_number: 'i % 3 + 1',
  patient_id: "'P' || (i % 20011)",
  payer_id: "['MCR', 'ATL', 'BRB', 'MCD', 'SELF'][i % 5 + 1]",
  plan_id: "['MCR01', 'ATL01', 'BRB02', 'MCD01', ''][i % 5 + 1]",
  rendering_provider_id: "'D0' || (i % 6 + 1)",
  rendering_npi: "'1' || lpad(cast(i % 999999999 as varchar), 9, '0')",
  location_id: "'L0' || (i % 2 + 1)",
  service_date: "date '2024-01-01' + cast(i % 730 as integer)",
  cpt: "['99213', '99214', '36415', '80053', '99203'][i % 5 + 1]",
  modifier_1: "case when i % 7 = 0 then '25' else '' end",
  modifier_2: "''",
  units: '1 + i % 2',
  icd10_1: "['E11.9', 'I10', 'Z00.00', 'J06.9'][i % 4 + 1]",
  icd10_2: "case when i % 3 = 0 then 'E78.5' else '' end",
  icd10_3: "''",
  icd10_4: "''",
  dx_pointers: "'1'",
  place_of_service: "'11'",
  charge_amount: 'cast(cast(((i % 40000) - 200) * 7 as decimal(18, 0)) * 0.01 as decimal(18, 2))',
  claim_created_date: "date '2024-01-02' + cast(i % 730 as integer)",
  claim_submitted_date: "date '2024-01-03' + cast(i % 730 as integer)",
  last_submitted_date: "date '2024-01-03' + cast(i % 730 as integer)",
  resubmission_count: 'i % 11 // 10',
  appointment_id: "'A' || i",
};

/** '$1,234.56' or '($12.00)' for a DECIMAL expression. */
const dollars = (v: string) =>
  `case when ${v} < 0 then '($' || format('{:,.2f}', -(${v})) || ')' else '$' || format('{:,.2f}', ${v}) end`;

const ledgerValue = (field: string): string => {
  const type = CANONICAL.charges.fields.find((f) => f.name === field)?.type;
  const v = values[field] as string;
  if (type === 'date') return `strftime(${v}, '%m/%d/%Y')`;
  if (type === 'money') return dollars(v);
  return `cast(${v} as varchar)`;
};

async function writeFiles(): Promise<{ canonical: string; ledger: string }> {
  mkdirSync(dir, { recursive: true });
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  const canonical = path.join(dir, 'charges_canonical.csv');
  const ledger = path.join(dir, 'charges_ledger.csv');
  await connection.run(
    `copy (select ${chargeFields.map((f) => `${values[f]} as ${f}`).join(', ')} from range(${rows}) t(i)) to '${canonical}' (header)`,
  );
  await connection.run(
    `copy (select ${ledgerHeaders.map(([h, f]) => `${ledgerValue(f)} as "${h}"`).join(', ')} from range(${rows}) t(i)
      union all select 'Total', ${ledgerHeaders
        .slice(1)
        .map(([, f]) =>
          f === 'charge_amount'
            ? dollars(`(select sum(${values.charge_amount}) from range(${rows}) t(i))`)
            : "''",
        )
        .join(', ')}) to '${ledger}' (header, force_quote *)`,
  );
  connection.closeSync();
  instance.closeSync();
  return { canonical, ledger };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] as number;

async function floor(
  file: string,
  columns: number,
  typed: string | null,
): Promise<{ parse: number; load: number; typed: number | null }> {
  const parse: number[] = [];
  const load: number[] = [];
  const typedLoad: number[] = [];
  const spec = `{${Array.from({ length: columns }, (_, i) => `'c${i}': 'VARCHAR'`).join(', ')}}`;
  const source = `read_csv('${file}', auto_detect = false, header = false, skip = 1, columns = ${spec}, quote = '"', escape = '"')`;
  for (let run = 0; run < runs; run++) {
    const database = path.join(dir, `floor-${run}.duckdb`);
    const instance = await DuckDBInstance.create(database);
    const connection = await instance.connect();
    let t = performance.now();
    await connection.run(`select count(*) from ${source}`);
    parse.push(performance.now() - t);
    t = performance.now();
    await connection.run(`create table t as select * from ${source}`);
    load.push(performance.now() - t);
    if (typed) {
      t = performance.now();
      await connection.run(
        `create table typed as select * from read_csv('${file}', auto_detect = false, header = true, columns = ${typed})`,
      );
      typedLoad.push(performance.now() - t);
    }
    connection.closeSync();
    instance.closeSync();
    rmSync(database, { force: true });
  }
  return { parse: median(parse), load: median(load), typed: typed ? median(typedLoad) : null };
}

async function pmLoader(file: string): Promise<{ total: number; phases: Record<string, number> }> {
  const totals: number[] = [];
  const phaseRuns: Record<string, number>[] = [];
  for (let run = 0; run < runs; run++) {
    const paths = warehousePaths({}, path.join(dir, `wh-${run}`, 'rcm.duckdb'));
    const warehouse = await openWarehouse(paths.database);
    const phases: Record<string, number> = {};
    let last = 0;
    const loader = createCsvLoader({
      trace: (phase, elapsed) => {
        phases[phase] = elapsed - last;
        last = elapsed;
      },
    });
    const t = performance.now();
    const outcome = await loadFile(
      warehouse.connection,
      paths,
      { filePath: file, practiceId: 'P001', kind: 'pm:charges' },
      loader,
    );
    totals.push(performance.now() - t);
    if (outcome.status !== 'loaded' || outcome.rowCount !== rows)
      throw new Error(
        `load failed: ${outcome.status} ${'message' in outcome ? `${outcome.location}: ${outcome.message}` : ''}`,
      );
    phaseRuns.push(phases);
    warehouse.close();
    rmSync(path.dirname(paths.database), { recursive: true, force: true });
  }
  const phases = Object.fromEntries(
    Object.keys(phaseRuns[0] ?? {}).map((p) => [p, median(phaseRuns.map((r) => r[p] ?? 0))]),
  );
  return { total: median(totals), phases };
}

const rate = (ms: number) => `${Math.round(rows / (ms / 1000)).toLocaleString('en-US')} rows/s`;

try {
  const files = await writeFiles();
  console.log(`rows: ${rows.toLocaleString('en-US')}, runs: ${runs} (medians)`);
  for (const [dialect, file] of Object.entries(files)) {
    const columns = dialect === 'canonical' ? chargeFields.length : ledgerHeaders.length;
    const mb = (statSync(file).size / 1e6).toFixed(0);
    // Canonical values are in DuckDB's own formats, so DuckDB can read them typed: the fairest floor.
    const typed =
      dialect === 'canonical'
        ? `{${CANONICAL.charges.fields.map((field) => `'${field.name}': '${sqlTypes[field.type]}'`).join(', ')}}`
        : null;
    const f = await floor(file, columns, typed);
    const pm = await pmLoader(file);
    console.log(`\n${dialect} (${columns} columns, ${mb} MB)`);
    console.log(`  floor, read_csv parse:        ${Math.round(f.parse)} ms  ${rate(f.parse)}`);
    console.log(`  floor, read_csv into a table: ${Math.round(f.load)} ms  ${rate(f.load)}`);
    if (f.typed !== null) {
      console.log(`  floor, typed read_csv into a table: ${Math.round(f.typed)} ms  ${rate(f.typed)}`);
    }
    const ratios = [`${(pm.total / f.load).toFixed(2)}x the VARCHAR load floor`];
    if (f.typed !== null) ratios.push(`${(pm.total / f.typed).toFixed(2)}x the typed load floor`);
    console.log(
      `  PM loader (loadFile):         ${Math.round(pm.total)} ms  ${rate(pm.total)}  ${ratios.join(', ')}`,
    );
    console.log(
      `    phases: ${Object.entries(pm.phases)
        .map(([p, ms]) => `${p} ${Math.round(ms)} ms`)
        .join(', ')}`,
    );
  }
} finally {
  if (!keep) rmSync(dir, { recursive: true, force: true });
}
