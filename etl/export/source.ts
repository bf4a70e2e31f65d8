import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DuckDBConnection } from '@duckdb/node-api';

/** What an export reads: a mart of the `marts` schema or a named query over the marts, and its filters. */
export interface ExportRequest {
  /** A mart name (marts.<name>) or `query:<name>` for a file of queries/. */
  target: string;
  practices: string[];
  /** First and last month included, YYYY-MM. */
  from?: string | undefined;
  to?: string | undefined;
  /** The column the period filter applies to; found from the mart's columns when not given. */
  periodColumn?: string | undefined;
}

export interface ExportColumn {
  name: string;
  /** DuckDB's type name, e.g. DECIMAL(18,2), DATE, VARCHAR. */
  type: string;
}

export interface ResolvedExport {
  /** A SELECT over the marts with the filters applied; parameters in `params`. */
  sql: string;
  params: Record<string, string>;
  columns: ExportColumn[];
  periodColumn: string | null;
}

const QUERIES_DIR = path.join(path.dirname(fileURLToPath(import.meta.url)), 'queries');

/** Named queries shipped with rcm: queries/<name>.sql, the first comment line saying what it returns. */
export function namedQueries(): { name: string; description: string }[] {
  return readdirSync(QUERIES_DIR)
    .filter((file) => file.endsWith('.sql'))
    .sort()
    .map((file) => ({
      name: file.replace(/\.sql$/, ''),
      description: (
        /^--\s*(.*)$/m.exec(readFileSync(path.join(QUERIES_DIR, file), 'utf8'))?.[1] ?? ''
      ).trim(),
    }));
}

export class ExportError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ExportError';
  }
}

/**
 * Period columns in the order an export prefers them: the month a row is reported in, then its own date.
 * Months are first-of-month DATEs in the marts.
 */
const PERIOD_COLUMNS = [
  'month',
  'snapshot_month',
  'posted_month',
  'service_month',
  'snapshot_date',
  'posted_date',
  'payment_date',
  'service_date',
];

/**
 * Builds the export's SELECT. Only the `marts` schema can be exported: raw and staging hold patient names and
 * member ids, the marts do not (docs/security.md).
 */
export async function resolveExport(
  connection: DuckDBConnection,
  request: ExportRequest,
): Promise<ResolvedExport> {
  const base = request.target.startsWith('query:')
    ? `(${namedQuerySql(request.target.slice('query:'.length))}) as named_query`
    : `marts.${await martName(connection, request.target)}`;
  const columns = (await connection.runAndReadAll(`describe select * from ${base}`))
    .getRowObjectsJson()
    .map((row) => ({ name: String(row.column_name), type: String(row.column_type) }));
  const names = new Set(columns.map((c) => c.name));
  const where: string[] = [];
  const params: Record<string, string> = {};
  if (request.practices.length > 0) {
    if (!names.has('practice_id'))
      throw new ExportError(`${request.target} has no practice_id column to filter on`);
    where.push(`practice_id in (${request.practices.map((_, i) => `$practice${i}`).join(', ')})`);
    request.practices.forEach((id, i) => {
      params[`practice${i}`] = id;
    });
  }
  let periodColumn: string | null = null;
  if (request.from !== undefined || request.to !== undefined) {
    periodColumn = request.periodColumn ?? PERIOD_COLUMNS.find((c) => names.has(c)) ?? null;
    const column = columns.find((c) => c.name === periodColumn);
    if (!column) {
      throw new ExportError(
        request.periodColumn
          ? `${request.target} has no column '${request.periodColumn}'`
          : `${request.target} has no date or month column to filter by period; name one with --period-column`,
      );
    }
    if (!/^(DATE|TIMESTAMP)/.test(column.type)) {
      throw new ExportError(
        `--period-column ${column.name} is ${column.type}; a DATE or TIMESTAMP column is needed`,
      );
    }
    if (request.from !== undefined) {
      where.push(`"${column.name}" >= cast($from as date)`);
      params.from = monthStart(request.from, '--from');
    }
    if (request.to !== undefined) {
      // Up to the end of the `to` month: before the first day of the month after.
      where.push(`"${column.name}" < cast($to as date) + interval 1 month`);
      params.to = monthStart(request.to, '--to');
    }
  }
  const order = ['practice_id', periodColumn].filter((c): c is string => c !== null && names.has(c));
  const sql =
    `select * from ${base}` +
    (where.length > 0 ? ` where ${where.join(' and ')}` : '') +
    // A stable order makes two exports of the same data byte-identical.
    ` order by ${[...order, ...columns.map((c) => `"${c.name}"`).filter((c) => !order.includes(c.slice(1, -1)))].join(', ')}`;
  return { sql, params, columns, periodColumn };
}

async function martName(connection: DuckDBConnection, name: string): Promise<string> {
  const marts = (
    await connection.runAndReadAll(
      `select table_name from duckdb_tables() where schema_name = 'marts'
       union select view_name from duckdb_views() where schema_name = 'marts' order by 1`,
    )
  )
    .getRowObjectsJson()
    .map((row) => String(row.table_name));
  if (!marts.includes(name)) {
    throw new ExportError(
      marts.length === 0
        ? 'the warehouse has no marts yet: run `rcm transform` (or `rcm run`) first'
        : `no mart '${name}'; marts: ${marts.join(', ')} (or query:<name>, rcm export --list)`,
    );
  }
  return name;
}

function namedQuerySql(name: string): string {
  const known = namedQueries().map((q) => q.name);
  if (!known.includes(name))
    throw new ExportError(`no named query '${name}'; named queries: ${known.join(', ')}`);
  return readFileSync(path.join(QUERIES_DIR, `${name}.sql`), 'utf8').replace(/;\s*$/, '');
}

function monthStart(text: string, option: string): string {
  if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(text))
    throw new ExportError(`${option} takes a month as YYYY-MM, got '${text}'`);
  return `${text}-01`;
}
