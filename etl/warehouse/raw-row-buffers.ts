import type { ColumnType, RawTable } from '../x12/raw-tables.ts';
import { isoDateToDays, quantityUnits } from '../x12/values.ts';

/**
 * Rows of a raw table, buffered column by column in DuckDB's own memory layout, a data chunk at a time.
 *
 * Plain JavaScript, no DuckDB: the same buffers are filled on the thread that holds the connection (TableWriter
 * copies them into a vector and appends) or in a parsing worker, which hands each full chunk's buffers over to
 * that thread (x12-parse-worker.ts). Either way a value is checked here, where its row is still the file's.
 */

/** Rows per data chunk: DuckDB's vector size. */
export const CHUNK_ROWS = 2048;

/** Columns a shared keys object may supply (see RowBuffer.append). */
const KEY_COLUMNS = new Set([
  'interchange_control_number',
  'transaction_control_number',
  'claim_segment_no',
  'patient_control_number',
]);

/** DECIMAL(18,2) holds at most 18 digits: cents beyond would not be stored exactly. */
const MONEY_LIMIT = 10n ** 18n;

/** A value as the parser gives it: money as bigint cents, dates as "YYYY-MM-DD", quantities as their text. */
export type RowValue = string | number | bigint | boolean | null | undefined;

/** A value a raw table column cannot hold: its table, column, what it expected and what it was given. */
export class RawValueError extends TypeError {
  constructor(message: string) {
    super(message);
    this.name = 'RawValueError';
  }
}

/**
 * One column's values of one chunk, ready to be copied into a DuckDB vector. Plain data, so it can cross from a
 * worker to the thread that holds the connection.
 */
export interface ColumnData {
  /** Row values in DuckDB's layout: a 16-byte string_t, an int64, an int32 or a byte per row. */
  values: ArrayBuffer;
  /** Validity bits (bit set = value present, 32-bit little-endian words), or null when no value is missing. */
  validity: ArrayBuffer | null;
  /** VARCHAR only: the rows whose text is not inline (their slots are zero), and that text, in row order. */
  longRows: number[] | null;
  longValues: string[] | null;
}

/**
 * Where a column takes the buffers of its next chunk once it has handed one over (detach): zero-filled, of the
 * byte length asked. A worker passes the buffers the loading thread gives back, so the two threads pass the
 * same few hundred buffers to and fro instead of allocating one per column and chunk (x12-parse-worker.ts).
 */
export interface ChunkBuffers {
  take(byteLength: number): ArrayBuffer;
}

const freshBuffers: ChunkBuffers = { take: (byteLength) => new ArrayBuffer(byteLength) };

/** The buffers a chunk's columns hold (values and validity): what moves with the chunk to another thread. */
export function chunkBuffers(columns: readonly ColumnData[]): ArrayBuffer[] {
  const buffers: ArrayBuffer[] = [];
  for (const column of columns) {
    buffers.push(column.values);
    if (column.validity !== null) buffers.push(column.validity);
  }
  return buffers;
}

/** One column's values for the current chunk, in DuckDB's memory layout, plus a validity mask. */
export abstract class ColumnBuffer {
  private validity = new Uint32Array(CHUNK_ROWS / 32).fill(0xffffffff);
  private nulls = 0;

  constructor(
    readonly table: string,
    readonly name: string,
  ) {}

  /** Stores a value (never null: the caller marks nulls with setNull). */
  abstract put(row: number, value: NonNullable<RowValue>): void;

  /** The buffer holding the values. */
  protected abstract valueBuffer(): ArrayBuffer;

  /** Readies the values for the next chunk: the first `count` rows reused in place, or a buffer from `next`. */
  protected abstract resetValues(count: number, next: ChunkBuffers | null): void;

  /** VARCHAR's text that is not inline. */
  protected longText(): { rows: number[]; values: string[] } | null {
    return null;
  }

  setNull(row: number): void {
    (this.validity[row >>> 5] as number) &= ~(1 << (row & 31));
    this.nulls++;
  }

  /** This chunk's values, in this column's own buffers: copy them, then call clear before the next put. */
  view(): ColumnData {
    const long = this.longText();
    return {
      values: this.valueBuffer(),
      validity: this.nulls === 0 ? null : this.validity.buffer,
      longRows: long && long.rows.length > 0 ? long.rows : null,
      longValues: long && long.rows.length > 0 ? long.values : null,
    };
  }

  /** After the `count` rows of view() were copied: the same buffers, emptied for the next chunk. */
  clear(count: number): void {
    this.resetValues(count, null);
    if (this.nulls === 0) return;
    this.validity.fill(0xffffffff);
    this.nulls = 0;
  }

  /** This chunk's values, handed over (to another thread): the column goes on with buffers from `next`. */
  detach(count: number, next: ChunkBuffers = freshBuffers): ColumnData {
    const data = this.view();
    this.resetValues(count, next);
    if (this.nulls > 0) {
      this.validity = new Uint32Array(next.take(CHUNK_ROWS / 8)).fill(0xffffffff);
      this.nulls = 0;
    }
    return data;
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
 * inline here; anything else is listed for DuckDB to store (one native call) after the column is copied. Values
 * repeat a lot (keys on every row of a claim, codes, the practice id): a value equal to the column's previous one
 * copies that slot, and a run of one long value is stored once (see writeColumn in x12-table-writer.ts).
 */
class VarcharColumn extends ColumnBuffer {
  /** Zeroed for each chunk: inline text needs zero padding, null and long slots stay zero. */
  private bytes = new Uint8Array(CHUNK_ROWS * 16);
  private words = new Uint32Array(this.bytes.buffer);
  private longRows: number[] = [];
  private longValues: string[] = [];
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

  protected valueBuffer(): ArrayBuffer {
    return this.bytes.buffer;
  }

  protected override longText(): { rows: number[]; values: string[] } {
    return { rows: this.longRows, values: this.longValues };
  }

  protected resetValues(count: number, next: ChunkBuffers | null): void {
    this.last = undefined;
    if (next !== null) {
      this.bytes = new Uint8Array(next.take(CHUNK_ROWS * 16));
      this.words = new Uint32Array(this.bytes.buffer);
      this.longRows = [];
      this.longValues = [];
    } else {
      this.bytes.fill(0, 0, count * 16);
      this.longRows.length = 0;
      this.longValues.length = 0;
    }
  }
}

/** Fixed-width columns: a typed array over the bytes DuckDB expects. Rows not written (nulls) are masked. */
abstract class FixedColumn<T extends Int32Array | Uint8Array | BigInt64Array> extends ColumnBuffer {
  protected values: T;

  constructor(
    table: string,
    name: string,
    private readonly create: (buffer: ArrayBuffer) => T,
    bytesPerRow: number,
  ) {
    super(table, name);
    this.values = create(new ArrayBuffer(CHUNK_ROWS * bytesPerRow));
  }

  protected valueBuffer(): ArrayBuffer {
    return this.values.buffer as ArrayBuffer;
  }

  protected resetValues(_count: number, next: ChunkBuffers | null): void {
    if (next !== null) this.values = this.create(next.take(this.values.byteLength));
  }
}

/** 64-bit integers: bigints as they are; numbers split into 32-bit halves rather than converted to BigInt. */
abstract class Int64Column extends FixedColumn<BigInt64Array> {
  private halves = new Int32Array(this.values.buffer);

  constructor(table: string, name: string) {
    super(table, name, (buffer) => new BigInt64Array(buffer), 8);
  }

  protected override resetValues(count: number, next: ChunkBuffers | null): void {
    super.resetValues(count, next);
    if (next !== null) this.halves = new Int32Array(this.values.buffer);
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
    super(table, name, (buffer) => new Int32Array(buffer), 4);
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
    super(table, name, (buffer) => new Int32Array(buffer), 4);
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
    super(table, name, (buffer) => new Uint8Array(buffer), 1);
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

/** Copies one row's values into the column buffers at `index`. */
type RowCopier = (
  row: Readonly<Record<string, RowValue>>,
  keys: Readonly<Record<string, RowValue>> | undefined,
  index: number,
) => void;

const IDENTIFIER = /^[a-z_][a-z0-9_]*$/;

/** Columns every row of a file shares, read from the buffer's current file. */
const CONSTANTS: Readonly<Record<string, string>> = {
  practice_id: 'file.practiceId',
  file_id: 'file.fileId',
};

/** The file whose rows a buffer is taking. */
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
 * Buffers rows of one raw table column by column and hands them on a data chunk (2048 rows) at a time (flush).
 * practice_id and file_id are filled in for every row. Columns come from the table description, so the order
 * always matches the table.
 *
 * One buffer may take the rows of many files in turn (startFile): its column buffers and compiled row copier are
 * made once, and a small file's rows share chunks with the next file's instead of costing a chunk each.
 */
export abstract class RowBuffer {
  /** Rows taken since the current file started. */
  rowCount = 0;
  /** Rows in the column buffers, not yet handed on. */
  protected buffered = 0;
  /** Column buffers and row copier: made on the first row, as most files write only a few tables. */
  private state: { columns: ColumnBuffer[]; copyRow: RowCopier } | null = null;
  private readonly file: CurrentFile;

  constructor(
    readonly table: RawTable,
    practiceId: string,
    fileId: bigint,
  ) {
    this.file = { practiceId, fileId };
  }

  /** Rows appended from now on belong to this file; rows of the previous one stay buffered. */
  startFile(practiceId: string, fileId: bigint): void {
    this.file.practiceId = practiceId;
    this.file.fileId = fileId;
    this.rowCount = 0;
  }

  private start(): { columns: ColumnBuffer[]; copyRow: RowCopier } {
    const table = this.table;
    const columns = table.columns.map((c) => new COLUMN_CLASSES[c.type](table.name, c.name));
    this.state = { columns, copyRow: compileRowCopier(table, columns, this.file) };
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

  /** Hands the buffered rows on; nothing to do when there are none. */
  abstract flush(): void;

  /** The buffered rows' column buffers, or null when none were ever made. */
  protected columns(): readonly ColumnBuffer[] | null {
    return this.state?.columns ?? null;
  }
}
