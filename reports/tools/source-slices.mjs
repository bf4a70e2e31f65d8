// A digest of each source table's rows per practice and month, and what a query reads of them, so that a daily build
// can keep a page's query result without running the query when none of the rows it reads changed
// (tools/page-reuse.mjs).
//
// Why it is sound: a query's result depends only on the rows its table scans let through. DuckDB's plan names, for
// each scan, the filters it pushed into it (conditions the query implies for every row it uses: DuckDB pushes a
// condition into a scan only when it can drop the rows failing it). Of those, the equality on `practice_id` and
// comparisons on the table's month column bound the scan to a set of (practice, month) slices; every other filter
// is ignored, which only widens the set. A plan that reads anything else (a table without digests, a table function,
// an empty result folded from statistics) binds nothing, and its query is run as before. The same rows in the same
// slices then give the same result: the source data is written in a total order (tools/write-sources.mjs), so a
// slice's rows are read in the same order too, and the bytes of a result follow from its rows alone (the build's
// cache writes it as one record batch with its unused bits zeroed, the universal-sql patch).
//
// The slices file (written by write-sources.mjs, one per build, kept in the site beside the page record):
//   { format, tables: { <table>: { columns: <digest of names and types>, practice: <practice column or null>,
//                                  month: <month column or null>, slices: [[practice, month, digest], …] } } }
import { createHash } from 'node:crypto';

export const SLICES_FORMAT = 1;

/** The month columns a source table may be sliced by, in order of preference. Pages filter on these. */
const MONTH_COLUMNS = ['month_key', 'service_month_key'];
const PRACTICE = 'practice_id';

const quote = (name) => `"${name.replaceAll('"', '""')}"`;

/**
 * A Parquet file's slices, digested by DuckDB (@duckdb/node-api connection). A slice's digest is the sum of a hash
 * of each of its rows (the rows as a set with repeats: their order follows from them, above) and its row count.
 * DuckDB's hash does not tell -0.0 from 0.0, which print differently, so each floating column's sign bit is hashed
 * with the row.
 * @param {{ runAndReadAll(sql: string): Promise<{ getRows(): unknown[][] }> }} connection
 * @param {string} parquet the written file (write-sources.mjs writes one for every query, rows or none)
 * @param {{ name: string, stored: string }[]} columns as written
 */
export async function digestTable(connection, parquet, columns) {
  const text = new Set(columns.filter((c) => c.stored === 'VARCHAR').map((c) => c.name));
  const practice = text.has(PRACTICE) ? PRACTICE : null;
  const month = MONTH_COLUMNS.find((m) => text.has(m)) ?? null;
  const entry = {
    columns: createHash('md5')
      .update(JSON.stringify(columns.map((c) => [c.name, c.stored])))
      .digest('hex'),
    practice,
    month,
    slices: [],
  };
  const signs = columns.filter((c) => c.stored === 'DOUBLE').map((c) => `signbit(${quote(c.name)})`);
  const rows = await connection.runAndReadAll(
    `select ${practice === null ? 'null' : quote(practice)}, ${month === null ? 'null' : quote(month)},
       count(*)::varchar || ':' || sum(hash(row_, ${['0', ...signs].join(', ')})::hugeint)::varchar
     from (select t as row_, * from read_parquet('${parquet.replaceAll("'", "''")}') as t) group by all`,
  );
  for (const [p, m, digest] of rows.getRows()) entry.slices.push([p ?? null, m ?? null, String(digest)]);
  entry.slices.sort((a, b) => compareKeys(a[0], b[0]) || compareKeys(a[1], b[1]));
  return entry;
}

/** Text in DuckDB's order (its bytes), a null first. */
function compareKeys(a, b) {
  if (a === b) return 0;
  if (a === null) return -1;
  if (b === null) return 1;
  return Buffer.compare(Buffer.from(a), Buffer.from(b));
}

/**
 * A slices file, indexed for lookups: table -> { columns, practice, month, byPractice: Map<practice|null,
 * Map<month|null, digest>> }.
 */
export function indexSlices(file) {
  const tables = new Map();
  if (file?.format !== SLICES_FORMAT) return tables;
  for (const [table, { columns, practice, month, slices }] of Object.entries(file.tables)) {
    const byPractice = new Map();
    for (const [p, m, digest] of slices) {
      let months = byPractice.get(p);
      if (!months) byPractice.set(p, (months = new Map()));
      months.set(m, digest);
    }
    tables.set(table, { columns, practice, month, byPractice });
  }
  return tables;
}

// ---- What a plan reads ----
//
// A binding is a list of scans, one per table scan in the plan: [table, the digest of its columns when bound, its
// practice constraints (values), its month constraints ([operator, value])]; null when the plan cannot be bound.
// The columns' digest ties the constraints to the columns they were read for: a binding is used on later builds.

/** Leaves that read no table: a one-row scan, a CTE's or a join's own intermediate result. */
const NO_TABLE = new Set(['DUMMY_SCAN', 'CTE_SCAN', 'DELIM_SCAN', 'RECURSIVE_CTE_SCAN', 'COLUMN_DATA_SCAN']);

/**
 * The slices a query's plan reads, from DuckDB's `EXPLAIN (FORMAT JSON)`, or null.
 * @param {string} planJson
 * @param {ReturnType<typeof indexSlices>} tables this build's slices (which tables have digests, and their columns)
 */
export function bindingOfPlan(planJson, tables) {
  let roots;
  try {
    roots = JSON.parse(planJson);
  } catch {
    return null;
  }
  const scans = [];
  const visit = (node) => {
    if (typeof node?.name !== 'string') return false;
    const name = node.name.trim();
    const children = Array.isArray(node.children) ? node.children : [];
    if (name === 'SEQ_SCAN') {
      const table = node.extra_info?.Table;
      const known = typeof table === 'string' ? tables.get(table) : undefined;
      if (!known || children.length > 0) return false;
      scans.push([table, known.columns, ...constraintsOf(node.extra_info.Filters, known)]);
      return true;
    }
    if (children.length === 0) return NO_TABLE.has(name);
    // Any other operator that reads data itself (a table function, a Parquet or CSV reader, an empty result folded
    // from statistics) makes the plan unbound.
    if (/SCAN|READ|EMPTY|FUNCTION/.test(name)) return false;
    return children.every(visit);
  };
  if (!Array.isArray(roots) || roots.length === 0 || !roots.every(visit)) return null;
  return scans;
}

const LITERAL = String.raw`'(?:[^']|'')*'`;
const COMPARE = new RegExp(String.raw`^(\w+)(=|>=|<=|>|<)(${LITERAL})$`);
const RANGE = new RegExp(String.raw`^(\w+)(>=|>)(${LITERAL}) AND (\w+)(<=|<)(${LITERAL})$`);
const BETWEEN = new RegExp(String.raw`^\((\w+) BETWEEN (${LITERAL}) AND (${LITERAL})\)$`);
const unquote = (literal) => literal.slice(1, -1).replaceAll("''", "'");

/**
 * A scan's practice and month constraints from its pushed-down filters (one string per filtered column). Only the
 * forms DuckDB prints for a comparison of a text column with text constants are read; an `optional:` filter (a
 * hint the scan may skip) and any other form are left out, which binds the scan to more slices, never fewer.
 * @param {unknown} filters
 * @param {{ practice: string | null, month: string | null }} table its text columns sliced by
 */
function constraintsOf(filters, { practice: practiceColumn, month }) {
  const practice = [];
  const months = [];
  const list = typeof filters === 'string' ? [filters] : Array.isArray(filters) ? filters : [];
  for (const filter of list) {
    if (typeof filter !== 'string') continue;
    const conjuncts = [];
    let m = COMPARE.exec(filter);
    if (m) conjuncts.push([m[1], m[2], m[3]]);
    else if ((m = RANGE.exec(filter)) && m[1] === m[4]) conjuncts.push([m[1], m[2], m[3]], [m[4], m[5], m[6]]);
    else if ((m = BETWEEN.exec(filter))) conjuncts.push([m[1], '>=', m[2]], [m[1], '<=', m[3]]);
    for (const [column, op, literal] of conjuncts) {
      if (column === practiceColumn && op === '=') practice.push(unquote(literal));
      else if (column === month && month !== null) months.push([op, unquote(literal)]);
    }
  }
  return [practice, months];
}

// ---- Whether what a binding reads changed ----

const satisfies = (value, [op, bound]) => {
  if (value === null) return false;
  const c = compareKeys(value, bound);
  return op === '=' ? c === 0 : op === '>=' ? c >= 0 : op === '<=' ? c <= 0 : op === '>' ? c > 0 : c < 0;
};

/**
 * The digests of the slices one scan reads, by practice and month, or null: no such table, or not with the columns
 * the binding was read for.
 */
function read(tables, [table, columns, practice, months]) {
  const entry = tables.get(table);
  if (!entry || entry.columns !== columns) return null;
  const out = new Map();
  for (const [p, byMonth] of entry.byPractice) {
    if (!practice.every((v) => p === v)) continue;
    for (const [m, digest] of byMonth) {
      if (months.every((c) => satisfies(m, c))) out.set(`${p}\u0000${m}`, digest);
    }
  }
  return out;
}

/**
 * Whether every slice a binding reads holds the same rows in both builds (the same tables, columns and slices).
 * @param {unknown[]} binding
 * @param {ReturnType<typeof indexSlices>} before
 * @param {ReturnType<typeof indexSlices>} now
 */
export function unchangedSlices(binding, before, now) {
  for (const scan of binding) {
    const a = read(before, scan);
    const b = read(now, scan);
    if (a === null || b === null || a.size !== b.size) return false;
    for (const [key, digest] of a) if (b.get(key) !== digest) return false;
  }
  return true;
}
