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

/** Columns a shared keys object may supply (see TableWriter.append). */
const KEY_COLUMNS = new Set([
  'interchange_control_number',
  'transaction_control_number',
  'claim_segment_no',
  'patient_control_number',
]);

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
  private readonly fromKeys: boolean[];

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
    this.fromKeys = this.names.map((name) => KEY_COLUMNS.has(name));
    if (appender.columnCount !== this.names.length) {
      throw new Error(
        `raw.${table.name} has ${appender.columnCount} columns, the X12 loader writes ${this.names.length}: run the warehouse migrations`,
      );
    }
  }

  /**
   * Buffers one row. Columns named in `keys` (the claim or transaction keys shared by many rows) are read from
   * it, the others from `row`; passing the shared object avoids copying it into every row.
   */
  append(row: Readonly<Record<string, RowValue>>, keys?: Readonly<Record<string, RowValue>>): void {
    const index = this.buffered;
    const names = this.names;
    const fromKeys = this.fromKeys;
    for (let c = 0; c < names.length; c++) {
      const name = names[c] as string;
      (this.buffers[c] as RowValue[])[index] = keys !== undefined && fromKeys[c] ? keys[name] : row[name];
    }
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
      const constant =
        name === 'practice_id' ? this.practiceId : name === 'file_id' ? this.fileId : undefined;
      // Null cells are only marked in a validity mask built here (the vector's own per-item null handling
      // does BigInt arithmetic for every cell once a column holds one null).
      const mask = new Uint32Array(((count + 63) >>> 6) * 2);
      let nulls = 0;
      for (let r = 0; r < count; r++) {
        const value = constant ?? buffer[r];
        buffer[r] = undefined;
        if (value === null || value === undefined) {
          nulls++;
          continue;
        }
        (mask[r >>> 5] as number) |= 1 << (r & 31);
        vector.setItem(r, convert(kind, value) as never);
      }
      if (nulls > 0) setValidity(vector, mask);
      vector.flush();
    }
    this.appender.appendDataChunk(chunk);
    this.buffered = 0;
  }
}

/**
 * Installs a validity mask (bit set = value present) on a fresh vector of @duckdb/node-api 1.4.5-r.1 (pinned):
 * its DuckDBValidity keeps the mask as a BigUint64Array in `data` and copies it to DuckDB on flush.
 */
function setValidity(vector: unknown, mask: Uint32Array): void {
  const validity = (vector as { validity?: { data?: BigUint64Array | null; offset?: number } }).validity;
  if (!validity || !('data' in validity) || validity.offset !== 0) {
    throw new Error('@duckdb/node-api vector layout changed: update setValidity in x12-table-writer.ts');
  }
  validity.data = new BigUint64Array(mask.buffer, 0, mask.length / 2);
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
