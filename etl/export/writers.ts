import { renameSync, rmSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import {
  type DuckDBConnection,
  DuckDBDateValue,
  DuckDBDecimalValue,
  DuckDBTimestampValue,
  type DuckDBValue,
} from '@duckdb/node-api';
import {
  Bool,
  type DataType,
  DateDay,
  Decimal,
  Field,
  Float64,
  Int32,
  Int64,
  makeData,
  makeVector,
  Schema,
  Table,
  TimestampMillisecond,
  tableToIPC,
  Utf8,
  type Vector,
  vectorFromArray,
} from 'apache-arrow';
import ExcelJS from 'exceljs';
import type { ExportColumn, ResolvedExport } from './source.ts';

export const FORMATS = ['csv', 'parquet', 'arrow', 'xlsx'] as const;
export type ExportFormat = (typeof FORMATS)[number];

/**
 * Writes the export to `file`, whole or not at all: into a temporary file beside it, renamed when complete.
 * Returns the number of rows written.
 */
export async function writeExport(
  connection: DuckDBConnection,
  source: ResolvedExport,
  format: ExportFormat,
  file: string,
): Promise<number> {
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.partial`);
  try {
    const rows = await WRITERS[format](connection, source, temporary);
    renameSync(temporary, file);
    return rows;
  } finally {
    rmSync(temporary, { force: true });
  }
}

type Writer = (connection: DuckDBConnection, source: ResolvedExport, file: string) => Promise<number>;

const WRITERS: Record<ExportFormat, Writer> = {
  // DuckDB writes CSV and Parquet itself: numbers unquoted in their exact decimal text, ISO dates; Parquet keeps
  // the DECIMAL types.
  csv: (connection, source, file) =>
    copyTo(connection, source, file, "format csv, header true, dateformat '%Y-%m-%d'"),
  parquet: (connection, source, file) => copyTo(connection, source, file, 'format parquet'),
  arrow: writeArrow,
  xlsx: writeXlsx,
};

async function copyTo(connection: DuckDBConnection, source: ResolvedExport, file: string, options: string) {
  const result = await connection.run(
    `copy (${source.sql}) to '${file.replaceAll("'", "''")}' (${options})`,
    source.params,
  );
  return Number(result.rowsChanged);
}

async function readRows(connection: DuckDBConnection, source: ResolvedExport): Promise<DuckDBValue[][]> {
  return (await connection.runAndReadAll(source.sql, source.params)).getRows();
}

const decimalType = (type: string) => /^DECIMAL\((\d+),(\d+)\)$/.exec(type.replace(/\s/g, ''));

/** Arrow IPC file; DECIMAL stays Decimal128 with its precision and scale, so money is exact in Arrow too. */
async function writeArrow(
  connection: DuckDBConnection,
  source: ResolvedExport,
  file: string,
): Promise<number> {
  const rows = await readRows(connection, source);
  const vectors = source.columns.map((column, index) =>
    arrowVector(
      column,
      rows.map((row) => row[index] ?? null),
    ),
  );
  const schema = new Schema(
    source.columns.map((column, index) => new Field(column.name, (vectors[index] as Vector).type, true)),
  );
  const table = new Table(
    schema,
    Object.fromEntries(source.columns.map((c, i) => [c.name, vectors[i] as Vector])),
  );
  await writeFile(file, tableToIPC(table, 'file'));
  return rows.length;
}

function arrowVector(column: ExportColumn, values: DuckDBValue[]): Vector {
  const decimal = decimalType(column.type);
  if (decimal) return decimalVector(values, Number(decimal[1]), Number(decimal[2]));
  const type = column.type;
  if (type === 'DATE') {
    return vectorFromArray(
      values.map((v) => (v instanceof DuckDBDateValue ? new Date(v.days * 86_400_000) : null)),
      new DateDay(),
    );
  }
  if (type.startsWith('TIMESTAMP')) {
    return vectorFromArray(
      values.map((v) => (v instanceof DuckDBTimestampValue ? new Date(Number(v.micros / 1000n)) : null)),
      new TimestampMillisecond(),
    );
  }
  const simple: Record<string, DataType> = {
    BOOLEAN: new Bool(),
    INTEGER: new Int32(),
    SMALLINT: new Int32(),
    BIGINT: new Int64(),
    DOUBLE: new Float64(),
    VARCHAR: new Utf8(),
  };
  const arrowType = simple[type] ?? new Utf8();
  const converted = values.map((v) => {
    if (v === null) return null;
    if (arrowType instanceof Int64) return BigInt(v as bigint | number);
    if (arrowType instanceof Utf8) return String(v);
    return v;
  });
  return vectorFromArray(converted as never[], arrowType);
}

/** Decimal128: each value the unscaled integer in two's complement, four little-endian 32-bit words. */
function decimalVector(values: DuckDBValue[], precision: number, scale: number): Vector {
  const words = new Uint32Array(values.length * 4);
  const valid = new Uint8Array(Math.ceil(values.length / 8));
  let nulls = 0;
  values.forEach((value, i) => {
    if (!(value instanceof DuckDBDecimalValue)) {
      nulls += 1;
      return;
    }
    valid[i >> 3] = (valid[i >> 3] as number) | (1 << (i & 7));
    let unscaled = BigInt.asUintN(128, value.value);
    for (let w = 0; w < 4; w++) {
      words[i * 4 + w] = Number(unscaled & 0xffffffffn);
      unscaled >>= 32n;
    }
  });
  const type = new Decimal(scale, precision, 128);
  return makeVector(
    makeData({ type, length: values.length, nullCount: nulls, nullBitmap: valid, data: words }),
  );
}

/**
 * XLSX for spreadsheet users: numbers as numbers (money with two decimals and a thousands separator, rates as
 * percentages, days with one decimal), dates as real Excel dates, a frozen header row with filters.
 */
async function writeXlsx(
  connection: DuckDBConnection,
  source: ResolvedExport,
  file: string,
): Promise<number> {
  const rows = await readRows(connection, source);
  const workbook = new ExcelJS.Workbook();
  workbook.creator = 'rcm';
  const sheet = workbook.addWorksheet('export', { views: [{ state: 'frozen', ySplit: 1 }] });
  sheet.columns = source.columns.map((column) => ({
    header: column.name,
    key: column.name,
    width: Math.max(12, column.name.length + 2),
    style: { numFmt: xlsxFormat(column) },
  }));
  for (const row of rows) sheet.addRow(row.map(xlsxValue));
  sheet.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: source.columns.length } };
  sheet.getRow(1).font = { bold: true };
  await workbook.xlsx.writeFile(file);
  return rows.length;
}

export function xlsxFormat(column: ExportColumn): string {
  const decimal = decimalType(column.type);
  if (column.type === 'DATE') return 'yyyy-mm-dd';
  if (column.type.startsWith('TIMESTAMP')) return 'yyyy-mm-dd hh:mm:ss';
  if (/_(rate|pct)(_|$)|_rate_t90$/.test(column.name)) return '0.0%';
  if (/days/.test(column.name)) return '#,##0.0';
  if (decimal && Number(decimal[2]) === 2) return '#,##0.00';
  return 'General';
}

/** Excel holds numbers as doubles: a DECIMAL(18,2) amount up to 2^53 cents converts exactly to the nearest cent. */
function xlsxValue(value: DuckDBValue): string | number | boolean | Date | null {
  if (value === null) return null;
  if (value instanceof DuckDBDecimalValue) return Number(value.toString());
  if (value instanceof DuckDBDateValue) return new Date(value.days * 86_400_000);
  if (value instanceof DuckDBTimestampValue) return new Date(Number(value.micros / 1000n));
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'boolean') return value;
  return String(value);
}
