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
import { isoDateToDays, QUANTITY_SCALE, quantityUnits } from '../x12/values.ts';

/**
 * Writes rows of the raw tables straight into DuckDB's vector memory.
 *
 * Why not @duckdb/node-api's vectors: they make one native call per text cell, build a value object per number
 * and leave a fresh native data chunk per 2048 rows to the garbage collector (which does not see its size), so
 * loading was slow and memory grew. Here each column keeps a plain buffer in DuckDB's own memory layout,
 * filled from JS, and one data chunk per table is reused: per chunk, one copy per column into the vector,
 * plus one native call per text cell that cannot be stored inline (see VarcharColumn).
 */

/** Columns a shared keys object may supply (see TableWriter.append). */
const KEY_COLUMNS = new Set([
  'interchange_control_number',
  'transaction_control_number',
  'claim_segment_no',
  'patient_control_number',
]);

/** Rows per data chunk: DuckDB's vector size. */
const CHUNK_ROWS = 2048;

/**
 * Rows after which the appender hands what it buffered to the transaction. Left alone it buffers 204,800 rows
 * per table outside DuckDB's memory limit (about 100 MB for era_claims); flushing every 8,192 rows measured as
 * fast, and 150 MB lighter on the benchmark file.
 */
const APPENDER_FLUSH_ROWS = 4 * CHUNK_ROWS;

/** DECIMAL(18,2) holds at most 18 digits: cents beyond would not be stored exactly. */
const MONEY_LIMIT = 10n ** 18n;

const DUCKDB_TYPES: Record<ColumnType, DuckDBType> = {
  varchar: VARCHAR,
  bigint: BIGINT,
  integer: INTEGER,
  money: DECIMAL(18, 2),
  quantity: DECIMAL(18, QUANTITY_SCALE),
  date: DATE,
  boolean: BOOLEAN,
};

/** A value as the parser gives it: money as bigint cents, dates as "YYYY-MM-DD", quantities as their text. */
export type RowValue = string | number | bigint | boolean | null | undefined;

type Vector = duckdb.Vector;

/** A value a raw table column cannot hold: its table, column, what it expected and what it was given. */
export class RawValueError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'RawValueError';
  }
}

/**
 * One column's values for the current chunk, in DuckDB's memory layout, plus a validity mask (bit set = value
 * present; 32-bit words in little-endian order are the same bytes as DuckDB's 64-bit words).
 */
abstract class ColumnBuffer {
  private readonly validity = new Uint32Array(CHUNK_ROWS / 32).fill(0xffffffff);
  private nulls = 0;

  constructor(
    readonly table: string,
    readonly name: string,
  ) {}

  /** Stores a value (never null: the caller marks nulls with setNull). */
  abstract put(row: number, value: NonNullable<RowValue>): void;

  /** Copies the first `count` values into the vector of a freshly reset chunk. */
  protected abstract writeValues(vector: Vector, count: number): void;

  setNull(row: number): void {
    (this.validity[row >>> 5] as number) &= ~(1 << (row & 31));
    this.nulls++;
  }

  write(vector: Vector, count: number): void {
    this.writeValues(vector, count);
    if (this.nulls === 0) return;
    // A reset chunk has no validity buffer (all valid): it is allocated only for columns with nulls.
    duckdb.vector_ensure_validity_writable(vector);
    duckdb.copy_data_to_vector_validity(vector, 0, this.validity.buffer, 0, ((count + 63) >>> 6) * 8);
    this.validity.fill(0xffffffff);
    this.nulls = 0;
  }

  /**
   * A NOT NULL column given no value: refused here, where the row is still the file's, rather than by DuckDB when
   * the transaction's rows are flushed, which could not say which file held it.
   */
  missing(value: null | undefined): never {
    this.fail(value, 'a value (the column is NOT NULL)');
  }

  protected fail(value: unknown, expected: string): never {
    throw new RawValueError(`raw.${this.table}.${this.name}: expected ${expected}, got ${String(value)}`);
  }
}

/**
 * VARCHAR cells are 16-byte string_t: uint32 length, then up to 12 bytes inline (zero padded), or for longer
 * text a 4-byte prefix and a pointer into the vector's string heap. ASCII text of ≤ 12 characters is written
 * inline here; anything else is handed to DuckDB (one native call) after the column is copied. Values repeat a
 * lot (keys on every row of a claim, codes, the practice id): a value equal to the column's previous one
 * copies that slot, and a run of one long value is stored once (see storeLong).
 */
class VarcharColumn extends ColumnBuffer {
  /** Zeroed after each chunk: inline text needs zero padding, null and long slots stay zero. */
  private readonly bytes = new Uint8Array(CHUNK_ROWS * 16);
  private readonly words = new Uint32Array(this.bytes.buffer);
  private readonly longRows: number[] = [];
  private readonly longValues: string[] = [];
  /** The last value put in this chunk, its row, and whether it was written inline. */
  private last: string | undefined;
  private lastRow = 0;
  private lastInline = false;

  put(row: number, value: NonNullable<RowValue>): void {
    if (typeof value !== 'string') this.fail(value, 'text');
    if (value === this.last) {
      if (this.lastInline) this.copySlot(this.lastRow << 2, row << 2);
      else this.putLong(row, value);
      return;
    }
    this.last = value;
    this.lastRow = row;
    this.lastInline = this.putInline(row << 2, value);
    if (!this.lastInline) this.putLong(row, value);
  }

  /** Writes ASCII text of ≤ 12 characters into its slot; false, slot untouched, for anything else. */
  private putInline(word: number, value: string): boolean {
    const length = value.length;
    if (length > 12) return false;
    for (let i = 0; i < length; i++) {
      const code = value.charCodeAt(i);
      // NUL too: the native path hands DuckDB a C string, so text with a NUL must take it as before.
      if (code > 0x7f || code === 0) return false;
    }
    const bytes = this.bytes;
    const base = (word << 2) + 4;
    for (let i = 0; i < length; i++) bytes[base + i] = value.charCodeAt(i);
    this.words[word] = length;
    return true;
  }

  private putLong(row: number, value: string): void {
    this.longRows.push(row);
    this.longValues.push(value);
  }

  private copySlot(from: number, to: number): void {
    const words = this.words;
    words[to] = words[from] as number;
    words[to + 1] = words[from + 1] as number;
    words[to + 2] = words[from + 2] as number;
    words[to + 3] = words[from + 3] as number;
  }

  protected writeValues(vector: Vector, count: number): void {
    duckdb.copy_data_to_vector(vector, 0, this.bytes.buffer, 0, count * 16);
    this.bytes.fill(0, 0, count * 16);
    this.last = undefined;
    this.storeLong(vector, count);
  }

  /** Has DuckDB store the long values, once per run of equal ones; the run's other rows copy its string_t. */
  private storeLong(vector: Vector, count: number): void {
    const rows = this.longRows;
    const values = this.longValues;
    if (rows.length === 0) return;
    let repeats = false;
    for (let i = 0; i < rows.length; i++) {
      if (i > 0 && values[i] === values[i - 1]) repeats = true;
      else duckdb.vector_assign_string_element(vector, rows[i] as number, values[i] as string);
    }
    if (repeats) {
      // vector_get_data returns a copy: patch the repeated rows in it and copy it back, one call each way.
      const data = duckdb.vector_get_data(vector, count * 16);
      for (let i = 1; i < rows.length; i++) {
        if (values[i] !== values[i - 1]) continue;
        const from = (rows[i - 1] as number) * 16;
        data.copyWithin((rows[i] as number) * 16, from, from + 16);
      }
      duckdb.copy_data_to_vector(vector, 0, data.buffer as ArrayBuffer, data.byteOffset, count * 16);
    }
    rows.length = 0;
    values.length = 0;
  }
}

/** Fixed-width columns: a typed array over the bytes DuckDB expects, copied with one call. */
abstract class FixedColumn<T extends ArrayBufferView> extends ColumnBuffer {
  constructor(
    table: string,
    name: string,
    protected readonly values: T,
  ) {
    super(table, name);
  }

  protected writeValues(vector: Vector, count: number): void {
    const width = this.values.byteLength / CHUNK_ROWS;
    duckdb.copy_data_to_vector(vector, 0, this.values.buffer as ArrayBuffer, 0, count * width);
  }
}

/** 64-bit integers: bigints as they are; numbers split into 32-bit halves rather than converted to BigInt. */
abstract class Int64Column extends FixedColumn<BigInt64Array> {
  private readonly halves = new Int32Array(this.values.buffer);

  constructor(table: string, name: string) {
    super(table, name, new BigInt64Array(CHUNK_ROWS));
  }

  protected putInt64(row: number, value: number | bigint): void {
    if (typeof value === 'bigint') {
      this.values[row] = value;
    } else if (Number.isSafeInteger(value)) {
      const high = Math.floor(value / 4_294_967_296);
      this.halves[row << 1] = value - high * 4_294_967_296;
      this.halves[(row << 1) + 1] = high;
    } else {
      this.values[row] = BigInt(value); // throws for fractions, exact for larger whole numbers
    }
  }
}

/** DECIMAL(18,2): int64 cents. */
class MoneyColumn extends Int64Column {
  put(row: number, value: NonNullable<RowValue>): void {
    if (typeof value === 'bigint') {
      if (value >= MONEY_LIMIT || value <= -MONEY_LIMIT) this.fail(value, 'cents within DECIMAL(18,2)');
    } else if (!Number.isSafeInteger(value)) {
      this.fail(value, 'whole cents');
    }
    this.putInt64(row, value as number | bigint);
  }
}

class BigIntColumn extends Int64Column {
  put(row: number, value: NonNullable<RowValue>): void {
    this.putInt64(row, typeof value === 'bigint' || typeof value === 'number' ? value : BigInt(value));
  }
}

class IntegerColumn extends FixedColumn<Int32Array> {
  constructor(table: string, name: string) {
    super(table, name, new Int32Array(CHUNK_ROWS));
  }

  put(row: number, value: NonNullable<RowValue>): void {
    // A 32-bit column: a larger or fractional number would be stored wrapped or truncated.
    if (typeof value !== 'number' || (value | 0) !== value) this.fail(value, 'a 32-bit whole number');
    this.values[row] = value;
  }
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** DATE: int32 days since 1970-01-01. */
class DateColumn extends FixedColumn<Int32Array> {
  /** Dates repeat from row to row (a claim's service dates): the last conversion is kept. */
  private lastText: string | undefined;
  private lastDays = 0;

  constructor(table: string, name: string) {
    super(table, name, new Int32Array(CHUNK_ROWS));
  }

  put(row: number, value: NonNullable<RowValue>): void {
    if (typeof value !== 'string') this.fail(value, 'a YYYY-MM-DD date');
    if (value !== this.lastText) {
      if (!ISO_DATE.test(value)) this.fail(value, 'a YYYY-MM-DD date');
      this.lastText = value;
      this.lastDays = isoDateToDays(value);
    }
    this.values[row] = this.lastDays;
  }
}

class BooleanColumn extends FixedColumn<Uint8Array> {
  constructor(table: string, name: string) {
    super(table, name, new Uint8Array(CHUNK_ROWS));
  }

  put(row: number, value: NonNullable<RowValue>): void {
    this.values[row] = value ? 1 : 0;
  }
}

/** DECIMAL(18,4): int64 ten-thousandths, from the quantity's text (never through a binary fraction). */
class QuantityColumn extends Int64Column {
  put(row: number, value: NonNullable<RowValue>): void {
    const units = typeof value === 'string' ? quantityUnits(value) : null;
    if (units === null) this.fail(value, 'a quantity of at most 14 digits and 4 decimals');
    this.putInt64(row, units);
  }
}

const COLUMN_CLASSES: Record<ColumnType, new (table: string, name: string) => ColumnBuffer> = {
  varchar: VarcharColumn,
  bigint: BigIntColumn,
  integer: IntegerColumn,
  money: MoneyColumn,
  date: DateColumn,
  boolean: BooleanColumn,
  quantity: QuantityColumn,
};

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

/** Copies one row's values into the column buffers at `index`. */
type RowCopier = (
  row: Readonly<Record<string, RowValue>>,
  keys: Readonly<Record<string, RowValue>> | undefined,
  index: number,
) => void;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Columns every row of a file shares, read from the writer's current file. */
const CONSTANTS: Readonly<Record<string, string>> = {
  practice_id: 'file.practiceId',
  file_id: 'file.fileId',
};

/** The file whose rows a writer is taking. */
interface CurrentFile {
  practiceId: string;
  fileId: bigint;
}

/**
 * Builds a table's row copier as code: one statement per column reading the row property by its name and
 * storing it through that column's buffer. A loop over the columns would read `row[name]` with a new name at
 * each step and call seven column classes from one site, both megamorphic in V8 and several times slower;
 * here every property read and call site sees one shape and one class. The names are the table
 * description's own (checked to be identifiers), never data.
 */
function compileRowCopier(table: RawTable, columns: readonly ColumnBuffer[], file: CurrentFile): RowCopier {
  const statements = table.columns.map(({ name, notNull }, c) => {
    if (!IDENTIFIER.test(name)) {
      throw new Error(`raw.${table.name}: column name ${name} is not an identifier`);
    }
    const value = Object.hasOwn(CONSTANTS, name)
      ? CONSTANTS[name]
      : KEY_COLUMNS.has(name)
        ? `keys === undefined ? row.${name} : keys.${name}`
        : `row.${name}`;
    const onNull = notNull ? `c${c}.missing(v)` : `c${c}.setNull(index)`;
    return `v = ${value}; if (v === null || v === undefined) ${onNull}; else c${c}.put(index, v);`;
  });
  const body = `const [${columns.map((_, c) => `c${c}`).join(', ')}] = columns;
return function copyRow(row, keys, index) {
  let v;
  ${statements.join('\n  ')}
};`;
  return new Function('columns', 'file', body)(columns, file) as RowCopier;
}

/**
 * Buffers rows of one raw table column by column and hands them to the appender a data chunk (2048 rows) at a
 * time. practice_id and file_id are filled in for every row. Columns come from the table description, so the
 * order always matches the table.
 *
 * One writer may take the rows of many files in turn (startFile): its buffers, compiled row copier and chunk
 * are made once, and a small file's rows share chunks with the next file's instead of costing a chunk each.
 */
export class TableWriter {
  /** Rows taken since the current file started. */
  rowCount = 0;
  /** Column buffers, row copier and chunk: made on the first row, as most files write only a few tables. */
  private state: { columns: ColumnBuffer[]; copyRow: RowCopier; chunk: ReusedChunk } | null = null;
  private buffered = 0;
  private unflushed = 0;
  private readonly file: CurrentFile;

  constructor(
    private readonly appender: DuckDBAppender,
    readonly table: RawTable,
    practiceId: string,
    fileId: bigint,
  ) {
    this.file = { practiceId, fileId };
    if (appender.columnCount !== table.columns.length) {
      throw new Error(
        `raw.${table.name} has ${appender.columnCount} columns, the X12 loader writes ${table.columns.length}: run the warehouse migrations`,
      );
    }
  }

  /** Rows appended from now on belong to this file; rows of the previous one stay buffered. */
  startFile(practiceId: string, fileId: bigint): void {
    this.file.practiceId = practiceId;
    this.file.fileId = fileId;
    this.rowCount = 0;
  }

  private start(): { columns: ColumnBuffer[]; copyRow: RowCopier; chunk: ReusedChunk } {
    const table = this.table;
    const columns = table.columns.map((c) => new COLUMN_CLASSES[c.type](table.name, c.name));
    this.state = {
      columns,
      copyRow: compileRowCopier(table, columns, this.file),
      chunk: new ReusedChunk(table.columns.map((c) => DUCKDB_TYPES[c.type])),
    };
    return this.state;
  }

  /**
   * Buffers one row. Columns named in `keys` (the claim or transaction keys shared by many rows) are read from
   * it, the others from `row`; passing the shared object avoids copying it into every row. A value of the wrong
   * type throws and leaves the row half written: the caller abandons the file (its transaction rolls back).
   */
  append(row: Readonly<Record<string, RowValue>>, keys?: Readonly<Record<string, RowValue>>): void {
    (this.state ?? this.start()).copyRow(row, keys, this.buffered);
    this.buffered++;
    this.rowCount++;
    if (this.buffered === CHUNK_ROWS) this.flush();
  }

  /** Writes the buffered rows into the appender (inside the transaction the rows belong to). */
  flush(): void {
    const count = this.buffered;
    const state = this.state;
    if (count === 0 || state === null) return;
    const { columns, chunk } = state;
    chunk.start(count);
    for (let c = 0; c < columns.length; c++) {
      (columns[c] as ColumnBuffer).write(chunk.vector(c), count);
    }
    chunk.appendTo(this.appender);
    this.buffered = 0;
    this.unflushed += count;
    if (this.unflushed >= APPENDER_FLUSH_ROWS) {
      this.appender.flushSync();
      this.unflushed = 0;
    }
  }
}
