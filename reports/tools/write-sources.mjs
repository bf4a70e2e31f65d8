// Writes the site's source data straight from the warehouse with DuckDB's own Parquet writer, in the layout
// `evidence sources` leaves for `evidence build`: <data>/manifest.json and, per source query,
// <data>/<source>/<query>/<query>.parquet and <query>.schema.json; and, when a fourth path is given, the digest of
// each table's rows per practice and month there (tools/source-slices.mjs), by which a daily build keeps the results
// of queries whose rows did not change (tools/page-reuse.mjs); and, when a fifth is given, the same tables in one
// DuckDB file for the prerender (below, "The prerender's table file").
//   node tools/write-sources.mjs <warehouse.duckdb> <sources/<source> folder> <data folder> [<slices file>]
//        [<prerender table file>]
//
// Why not `evidence sources`: its DuckDB connector turns every row into a JS object and, for each batch of
// 100,000 rows, converts again every row read so far; Arrow and Parquet are then rebuilt in JS. A 10-practice
// warehouse's 3.8 million claim facts took minutes and gigabytes that way; DuckDB writes them in seconds.
//
// The files hold what Evidence's own pipeline writes, so pages and both query clients see the same tables:
// numbers (DECIMAL money included) as DOUBLE, dates and timestamps as millisecond timestamps, booleans as
// BOOLEAN, anything else as text; the schema file carries Evidence's column type for each.
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { digestTable, SLICES_FORMAT } from './source-slices.mjs';

const [warehouse, sourceDir, dataDir, slicesFile, tableFile] = process.argv.slice(2);
if (!warehouse || !sourceDir || !dataDir) {
  console.error(
    'usage: node tools/write-sources.mjs <warehouse.duckdb> <sources/<source> folder> <data folder> [<slices file>] [<prerender table file>]',
  );
  process.exit(2);
}
const source = path.basename(sourceDir);

/** Evidence's type for a DuckDB column type (the mapping of @evidence-dev/duckdb), and the type it is stored as. */
function columnType(duckdbType) {
  if (/^DECIMAL/.test(duckdbType)) return { evidenceType: 'number', stored: 'DOUBLE' };
  switch (duckdbType) {
    case 'BOOLEAN':
      return { evidenceType: 'boolean', stored: 'BOOLEAN' };
    case 'TIMESTAMP WITH TIME ZONE':
      // no direct cast to TIMESTAMP_MS: through the instant's epoch milliseconds (UTC, as a JavaScript date)
      return { evidenceType: 'date', stored: 'TIMESTAMP_MS', expression: (c) => `epoch_ms(epoch_ms(${c}))` };
    case 'TIMESTAMP':
    case 'TIMESTAMP_NS':
      // truncated to the millisecond, as a JavaScript date holds it (a plain cast would round)
      return { evidenceType: 'date', stored: 'TIMESTAMP_MS', expression: (c) => `date_trunc('millisecond', ${c})` };
    case 'DATE':
    case 'TIMESTAMP_S':
    case 'TIMESTAMP_MS':
      return { evidenceType: 'date', stored: 'TIMESTAMP_MS' };
    case 'DOUBLE':
    case 'FLOAT':
    case 'TINYINT':
    case 'UTINYINT':
    case 'SMALLINT':
    case 'USMALLINT':
    case 'INTEGER':
    case 'UINTEGER':
    case 'BIGINT':
    case 'UBIGINT':
    case 'HUGEINT':
      return { evidenceType: 'number', stored: 'DOUBLE' };
    default:
      return { evidenceType: 'string', stored: 'VARCHAR' };
  }
}

/**
 * Rows sorted by practice (then month, then claim, where the query has them): pages filter on these, and sorted
 * rows let duckdb-wasm skip the row groups of other practices by their min/max, so a page's queries cost what its
 * own practice holds, not the whole billing company (7.6 times faster for an A/R query at 10 practices). The
 * source queries set no order of their own.
 *
 * Then by every other column, so the order is total: the same rows are written in the same order by every build.
 * A page's float sums and the order of rows tied on its own `order by` follow the order duckdb-wasm reads, and a
 * page is kept from the previous build only when its queries return the same bytes (tools/page-reuse.mjs).
 */
function orderOf(columns) {
  const names = new Set(columns.map((c) => c.name));
  const keys = [
    'practice_id',
    ['month_key', 'service_month_key', 'month'].find((k) => names.has(k)),
    'claim_id',
  ].filter((k) => k !== undefined && names.has(k));
  const rest = columns.map((c) => c.name).filter((name) => !keys.includes(name));
  return ` order by ${[...keys, ...rest].map(quote).join(', ')}`;
}

/**
 * Lists a table of the prerender's table file with the size of the Parquet file written from it; a table without
 * rows is dropped instead: the prerender makes it from its schema file, as it always has.
 * @param {string} table the table's qualified name
 * @param {string} name
 * @param {string} parquet
 * @param {number} rows
 */
async function listPrerenderTable(table, name, parquet, rows) {
  if (rows === 0) {
    await connection.run(`DROP TABLE ${table}`);
    return;
  }
  await connection.run(
    `INSERT INTO ${TABLES}.main.rcm_source_files VALUES (${literal(source)}, ${literal(name)}, ${statSync(parquet).size}, ${rows})`,
  );
}

const quote = (name) => `"${name.replaceAll('"', '""')}"`;
const literal = (text) => `'${text.replaceAll("'", "''")}'`;

const instance = await DuckDBInstance.create(warehouse, {
  access_mode: 'READ_ONLY',
  autoinstall_known_extensions: 'false',
  autoload_known_extensions: 'false',
});
const connection = await instance.connect();

// The prerender's table file. Each prerender worker's duckdb-wasm would otherwise decode every Parquet file a page
// reads and insert its rows: about 43 s and 4.8 GB per worker at 50 practices, where opening this file takes
// 0.1 s and reads blocks as queries need them (docs/benchmarks.md). The tables hold the Parquet files' rows in
// their order and with the types duckdb-wasm gives them when it loads the Parquet (the stored types above), so a
// query returns the same bytes either way. `rcm_source_files` names each table's Parquet file by its size:
// the prerender uses a table only when the file it is asked to load is that one (universal-sql patch,
// client-duckdb/node.js). Written under another name and renamed, and the old file removed first, so a build that
// stops half-way never leaves a file that disagrees with the Parquet beside it.
const TABLES = 'prerender_tables';
/** Source queries no prerendered page reads (a `-- browser only:` line says why): left out of the table file. */
const BROWSER_ONLY = /^-- browser only:/m;
if (tableFile) {
  for (const stale of [tableFile, `${tableFile}.tmp`, `${tableFile}.wal`, `${tableFile}.tmp.wal`]) {
    rmSync(stale, { force: true });
  }
  mkdirSync(path.dirname(tableFile), { recursive: true });
  await connection.run(`ATTACH ${literal(`${tableFile}.tmp`)} AS ${TABLES} (READ_WRITE)`);
  await connection.run(`CREATE SCHEMA ${TABLES}.${quote(source)}`);
  await connection.run(
    `CREATE TABLE ${TABLES}.main.rcm_source_files (source VARCHAR, name VARCHAR, parquet_bytes BIGINT, row_count BIGINT)`,
  );
}

const queries = readdirSync(sourceDir)
  .filter((file) => file.endsWith('.sql') && file !== 'initialize.sql')
  .sort();
const rendered = [];
/** @type {Record<string, Awaited<ReturnType<typeof digestTable>>>} */
const slices = {};
let failed = 0;
for (const file of queries) {
  const name = file.slice(0, -'.sql'.length);
  const sql = readFileSync(path.join(sourceDir, file), 'utf8').trim().replace(/;\s*$/, '');
  const outDir = path.join(dataDir, source, name);
  try {
    const described = (await connection.runAndReadAll(`DESCRIBE ${sql}`)).getRowObjectsJS();
    const columns = described.map((row) => ({ name: String(row.column_name), ...columnType(String(row.column_type)) }));
    const select = columns
      .map((c) => `cast(${c.expression?.(quote(c.name)) ?? quote(c.name)} as ${c.stored}) as ${quote(c.name)}`)
      .join(', ');
    rmSync(outDir, { recursive: true, force: true });
    mkdirSync(outDir, { recursive: true });
    const target = path.join(outDir, `${name}.parquet`);
    const rows = `select ${select} from (${sql})${orderOf(columns)}`;
    // With a table file, the rows are stored there once and the Parquet file written from that table (in its
    // order), so both hold the same rows with the same types; the sort runs once.
    const table = tableFile && !BROWSER_ONLY.test(sql) ? `${TABLES}.${quote(source)}.${quote(name)}` : null;
    if (table) await connection.run(`CREATE TABLE ${table} AS ${rows}`);
    const reader = await connection.runAndReadAll(
      `COPY (${table ? `select * from ${table}` : rows}) TO ${literal(`${target}.tmp`)} (FORMAT parquet, COMPRESSION zstd)`,
    );
    renameSync(`${target}.tmp`, target);
    writeFileSync(
      path.join(outDir, `${name}.schema.json`),
      JSON.stringify(columns.map((c) => ({ name: c.name, evidenceType: c.evidenceType, typeFidelity: 'precise' }))),
    );
    rendered.push(`static/data/${source}/${name}/${name}.parquet`);
    if (slicesFile) slices[name] = await digestTable(connection, target, columns);
    const count = reader.getRows()[0]?.[0];
    if (table) await listPrerenderTable(table, name, target, Number(count));
    console.log(`  ${name}: ${count ?? '?'} rows`);
  } catch (error) {
    failed += 1;
    console.error(`  ${name} (${path.join(sourceDir, file)}) failed: ${error instanceof Error ? error.message : error}`);
  }
}
// The newest load per practice, as pages show it ("Data loaded up to …", and the owner pack's newest file per
// source), in one site-wide file the pages read in the browser. As a query result it would change every page each
// day, and no page could be kept from the previous build (tools/page-reuse.mjs). Read from the written file, so the
// time is the one duckdb-wasm would show.
if (rendered.some((file) => file.endsWith('/source_freshness.parquet'))) {
  const file = path.join(dataDir, source, 'source_freshness', 'source_freshness.parquet');
  const rows = await connection.runAndReadAll(
    `select practice_id, file_kind, files_loaded::bigint::varchar, newest_file_name,
       strftime(newest_loaded_at, '%Y-%m-%d %H:%M') as loaded
     from read_parquet(${literal(file)}) order by practice_id, file_kind`,
  );
  /** @type {Record<string, { loaded: string, files: { kind: string, files: string, newest: string, loaded: string }[] }>} */
  const practices = {};
  for (const [practice, kind, files, newest, loaded] of rows.getRows().map((r) => r.map((v) => String(v ?? '')))) {
    const entry = (practices[practice] ??= { loaded: '', files: [] });
    entry.files.push({ kind, files, newest, loaded });
    if (loaded > entry.loaded) entry.loaded = loaded;
  }
  writeFileSync(path.join(dataDir, 'freshness.json'), JSON.stringify(practices));
}
if (tableFile) {
  await connection.run(`CHECKPOINT ${TABLES}`);
  await connection.run(`DETACH ${TABLES}`);
  if (failed === 0) renameSync(`${tableFile}.tmp`, tableFile);
  else rmSync(`${tableFile}.tmp`, { force: true });
}
connection.closeSync();
instance.closeSync();
if (failed > 0) {
  console.error(`${failed} of ${queries.length} source queries failed; no manifest written`);
  process.exit(1);
}
writeFileSync(path.join(dataDir, 'manifest.json'), JSON.stringify({ renderedFiles: { [source]: rendered } }));
if (slicesFile) writeFileSync(slicesFile, JSON.stringify({ format: SLICES_FORMAT, tables: slices }));
console.log(`wrote ${rendered.length} source tables to ${dataDir}`);
