import {
  BIGINT,
  BOOLEAN,
  DATE,
  DECIMAL,
  DOUBLE,
  type DuckDBAppender,
  DuckDBDataChunk,
  DuckDBDateValue,
  DuckDBDecimalValue,
  type DuckDBType,
  type DuckDBValue,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import type { ColumnType, RawTable } from '../x12/raw-tables.ts';
import { isoDateToDays } from '../x12/values.ts';

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

const DUCKDB_TYPES: Record<ColumnType, DuckDBType> = {
  varchar: VARCHAR,
  bigint: BIGINT,
  integer: INTEGER,
  money: DECIMAL(18, 2),
  date: DATE,
  boolean: BOOLEAN,
  double: DOUBLE,
};

/** A value as the parser gives it: money as bigint cents, dates as "YYYY-MM-DD", quantities as text. */
export type RowValue = string | number | bigint | boolean | null | undefined;

/**
 * Buffers rows of one raw table column by column and hands them to the appender a data chunk (2048 rows) at a
 * time, the fastest bulk path @duckdb/node-api offers. practice_id and file_id are filled in for every row.
 * Columns come from the table description, so the order always matches the table.
 */
export class TableWriter {
  rowCount = 0;
  private readonly names: string[];
  private readonly kinds: ColumnType[];
  private readonly types: DuckDBType[];
  private readonly buffers: RowValue[][];
  private buffered = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    readonly table: RawTable,
    private readonly practiceId: string,
    private readonly fileId: bigint,
  ) {
    this.names = table.columns.map((c) => c.name);
    this.kinds = table.columns.map((c) => c.type);
    this.types = this.kinds.map((kind) => DUCKDB_TYPES[kind]);
    this.buffers = this.names.map(() => new Array(CHUNK_ROWS));
    if (appender.columnCount !== this.names.length) {
      throw new Error(
        `raw.${table.name} has ${appender.columnCount} columns, the X12 loader writes ${this.names.length}: run the warehouse migrations`,
      );
    }
  }

  append(row: Readonly<Record<string, RowValue>>): void {
    const index = this.buffered;
    const names = this.names;
    for (let c = 0; c < names.length; c++) (this.buffers[c] as RowValue[])[index] = row[names[c] as string];
    this.buffered = index + 1;
    this.rowCount++;
    if (this.buffered === CHUNK_ROWS) this.flush();
  }

  /** Writes the buffered rows into the appender (still inside the file's transaction). */
  flush(): void {
    const count = this.buffered;
    if (count === 0) return;
    const chunk = DuckDBDataChunk.create(this.types, count);
    for (let c = 0; c < this.names.length; c++) {
      const vector = chunk.getColumnVector(c);
      const buffer = this.buffers[c] as RowValue[];
      const name = this.names[c];
      const kind = this.kinds[c] as ColumnType;
      for (let r = 0; r < count; r++) {
        const value = name === 'practice_id' ? this.practiceId : name === 'file_id' ? this.fileId : buffer[r];
        vector.setItem(r, convert(kind, value) as never);
        buffer[r] = undefined;
      }
      vector.flush();
    }
    this.appender.appendDataChunk(chunk);
    this.buffered = 0;
  }
}

function convert(kind: ColumnType, value: RowValue): DuckDBValue {
  if (value === null || value === undefined) return null;
  switch (kind) {
    case 'money':
      return new DuckDBDecimalValue(value as bigint, 18, 2);
    case 'date':
      return new DuckDBDateValue(isoDateToDays(value as string));
    case 'double':
      return typeof value === 'number' ? value : Number(value);
    case 'bigint':
      return typeof value === 'bigint' ? value : BigInt(value as number);
    default:
      return value as DuckDBValue;
  }
}
