import {
  BIGINT,
  BOOLEAN,
  DATE,
  DECIMAL,
  type DuckDBAppender,
  DuckDBDataChunk,
  type DuckDBType,
  INTEGER,
  VARCHAR,
} from '@duckdb/node-api';
import duckdb from '@duckdb/node-bindings';
import type { ColumnType, RawTable } from '../x12/raw-tables.ts';
import { QUANTITY_SCALE } from '../x12/values.ts';
import { CHUNK_ROWS, type ColumnData, RowBuffer } from './raw-row-buffers.ts';

/**
 * Writes rows of the raw tables straight into DuckDB's vector memory.
 *
 * Why not @duckdb/node-api's vectors: they make one native call per text cell, build a value object per number
 * and leave a fresh native data chunk per 2048 rows to the garbage collector (which does not see its size), so
 * loading was slow and memory grew. Here each column keeps a plain buffer in DuckDB's own memory layout,
 * filled from JS, and one data chunk per table is reused: per chunk, one copy per column into the vector,
 * plus one native call per text cell that cannot be stored inline (see VarcharColumn in raw-row-buffers.ts).
 */

/**
 * Rows after which the appender hands what it buffered to the transaction. Left alone it buffers 204,800 rows
 * per table outside DuckDB's memory limit (about 100 MB for era_claims); flushing every 8,192 rows measured as
 * fast, and 150 MB lighter on the benchmark file.
 */
const APPENDER_FLUSH_ROWS = 4 * CHUNK_ROWS;

const DUCKDB_TYPES: Record<ColumnType, DuckDBType> = {
  varchar: VARCHAR,
  bigint: BIGINT,
  integer: INTEGER,
  money: DECIMAL(18, 2),
  quantity: DECIMAL(18, QUANTITY_SCALE),
  date: DATE,
  boolean: BOOLEAN,
};

type Vector = duckdb.Vector;

/**
 * Copies one column's chunk into the vector of a freshly reset data chunk: the values with one call, the
 * validity with another where a value is missing, and each run of equal long text with one call per run.
 */
function writeColumn(vector: Vector, count: number, data: ColumnData): void {
  // A column's buffer holds a whole chunk: its size says how wide a value is.
  const width = data.values.byteLength / CHUNK_ROWS;
  duckdb.copy_data_to_vector(vector, 0, data.values, 0, count * width);
  if (data.longRows !== null && data.longValues !== null)
    storeLong(vector, count, data.longRows, data.longValues);
  if (data.validity === null) return;
  // A reset chunk has no validity buffer (all valid): it is allocated only for columns with nulls.
  duckdb.vector_ensure_validity_writable(vector);
  duckdb.copy_data_to_vector_validity(vector, 0, data.validity, 0, ((count + 63) >>> 6) * 8);
}

/** Has DuckDB store the long values, once per run of equal ones; the run's other rows copy its string_t. */
function storeLong(vector: Vector, count: number, rows: readonly number[], values: readonly string[]): void {
  let repeats = false;
  for (let i = 0; i < rows.length; i++) {
    if (i > 0 && values[i] === values[i - 1]) repeats = true;
    else duckdb.vector_assign_string_element(vector, rows[i] as number, values[i] as string);
  }
  if (!repeats) return;
  // vector_get_data returns a copy: patch the repeated rows in it and copy it back, one call each way.
  const data = duckdb.vector_get_data(vector, count * 16);
  for (let i = 1; i < rows.length; i++) {
    if (values[i] !== values[i - 1]) continue;
    const from = (rows[i - 1] as number) * 16;
    data.copyWithin((rows[i] as number) * 16, from, from + 16);
  }
  duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, count * 16);
}

/**
 * The one place that reaches below @duckdb/node-api: its DuckDBDataChunk exposes the native handle (`chunk`)
 * that the @duckdb/node-bindings functions take, and the appender accepts the same wrapper back.
 */
class ReusedChunk {
  private readonly wrapper: DuckDBDataChunk;
  private readonly handle: duckdb.DataChunk;

  constructor(types: readonly DuckDBType[]) {
    this.wrapper = DuckDBDataChunk.create(types);
    const handle = (this.wrapper as { chunk?: duckdb.DataChunk }).chunk;
    if (!handle) {
      throw new Error('@duckdb/node-api DuckDBDataChunk changed: update ReusedChunk in x12-table-writer.ts');
    }
    this.handle = handle;
  }

  /** Empties the chunk (its strings and validity go with it) and sizes it for `count` rows. */
  start(count: number): void {
    duckdb.data_chunk_reset(this.handle);
    duckdb.data_chunk_set_size(this.handle, count);
  }

  vector(column: number): Vector {
    return duckdb.data_chunk_get_vector(this.handle, column);
  }

  appendTo(appender: DuckDBAppender): void {
    appender.appendDataChunk(this.wrapper);
  }
}

/**
 * Buffers rows of one raw table (RowBuffer) and hands them to the appender a data chunk (2048 rows) at a time,
 * inside the transaction the rows belong to. Takes chunks filled by a parsing worker too (appendChunk). One
 * writer may take the rows of many files in turn; its data chunk is made once and reused.
 */
export class TableWriter extends RowBuffer {
  private chunk: ReusedChunk | null = null;
  private unflushed = 0;

  constructor(
    private readonly appender: DuckDBAppender,
    table: RawTable,
    practiceId: string,
    fileId: bigint,
  ) {
    super(table, practiceId, fileId);
    if (appender.columnCount !== table.columns.length) {
      throw new Error(
        `raw.${table.name} has ${appender.columnCount} columns, the X12 loader writes ${table.columns.length}: run the warehouse migrations`,
      );
    }
  }

  /** Writes the buffered rows into the appender. */
  flush(): void {
    const count = this.buffered;
    const columns = this.columns();
    if (count === 0 || columns === null) return;
    this.write(
      count,
      columns.map((column) => column.view()),
    );
    for (const column of columns) column.clear(count);
    this.buffered = 0;
  }

  /**
   * Appends a chunk of `count` rows of this table whose columns a worker filled (RowBuffer's detach), after the
   * rows buffered here, and counts them as the current file's.
   */
  appendChunk(count: number, columns: readonly ColumnData[]): void {
    if (columns.length !== this.table.columns.length || count < 1 || count > CHUNK_ROWS) {
      throw new Error(
        `raw.${this.table.name}: a chunk of ${count} rows and ${columns.length} columns does not fit`,
      );
    }
    this.flush();
    this.write(count, columns);
    this.rowCount += count;
  }

  private write(count: number, columns: readonly ColumnData[]): void {
    this.chunk ??= new ReusedChunk(this.table.columns.map((c) => DUCKDB_TYPES[c.type]));
    const chunk = this.chunk;
    chunk.start(count);
    for (let c = 0; c < columns.length; c++) {
      writeColumn(chunk.vector(c), count, columns[c] as ColumnData);
    }
    chunk.appendTo(this.appender);
    this.unflushed += count;
    if (this.unflushed >= APPENDER_FLUSH_ROWS) {
      this.appender.flushSync();
      this.unflushed = 0;
    }
  }
}
