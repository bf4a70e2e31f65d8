/**
 * CSV writing in any dialect of `dialects.ts`: canonical records in, dialect text out.
 * Record values: text as string, int as number, date as day number, datetime as minutes since the epoch,
 * money as integer cents (bigint), bool as boolean; null/undefined is an empty field.
 */

import { type Cents, formatCents } from '../money.ts';
import { ccyymmdd, isoOf, usDate } from './dates.ts';
import type { CANONICAL_FIELDS, CsvDialect, DialectColumn, FieldType } from './dialects.ts';
import { fieldType } from './dialects.ts';
import type { FileLog } from './sink.ts';
import { FileSink } from './sink.ts';

export type Value = string | number | bigint | boolean | null | undefined;
export type CsvRecord = Record<string, Value>;

type Entity = keyof typeof CANONICAL_FIELDS;

function formatDate(day: number, dialect: CsvDialect): string {
  switch (dialect.date) {
    case 'YYYY-MM-DD':
      return isoOf(day);
    case 'MM/DD/YYYY':
      return usDate(day);
    case 'YYYYMMDD':
      return ccyymmdd(day);
  }
}

function formatDateTime(minutesSinceEpoch: number, dialect: CsvDialect): string {
  const day = Math.floor(minutesSinceEpoch / 1440);
  const mins = minutesSinceEpoch - day * 1440;
  const h = Math.floor(mins / 60);
  const m = String(mins % 60).padStart(2, '0');
  switch (dialect.datetime) {
    case 'YYYY-MM-DDTHH:MM:SS':
      return `${isoOf(day)}T${String(h).padStart(2, '0')}:${m}:00`;
    case 'YYYYMMDD HH:MM':
      return `${ccyymmdd(day)} ${String(h).padStart(2, '0')}:${m}`;
    case 'MM/DD/YYYY hh:mm AM': {
      const h12 = h % 12 === 0 ? 12 : h % 12;
      return `${usDate(day)} ${String(h12).padStart(2, '0')}:${m} ${h < 12 ? 'AM' : 'PM'}`;
    }
  }
}

function withThousands(intPart: string): string {
  let out = '';
  for (let i = 0; i < intPart.length; i++) {
    if (i > 0 && (intPart.length - i) % 3 === 0) out += ',';
    out += intPart[i];
  }
  return out;
}

/** '$1,234.56' and '($12.00)' for negatives. */
export function dollarParen(c: Cents): string {
  const a = c < 0n ? -c : c;
  const s = `$${withThousands(String(a / 100n))}.${String(a % 100n).padStart(2, '0')}`;
  return c < 0n ? `(${s})` : s;
}

/** '1234.56' and '12.00-' (trailing minus) for negatives. */
export function trailingMinus(c: Cents): string {
  const s = formatCents(c < 0n ? -c : c);
  return c < 0n ? `${s}-` : s;
}

export function formatMoney(cents: Cents, dialect: CsvDialect): string {
  switch (dialect.money) {
    case 'plain':
      return formatCents(cents);
    case 'dollar_paren':
      return dollarParen(cents);
    case 'trailing_minus':
      return trailingMinus(cents);
  }
}

function formatValue(v: Value, type: FieldType, dialect: CsvDialect): string {
  if (v === null || v === undefined || v === '') return '';
  switch (type) {
    case 'text':
      return String(v);
    case 'int':
      return String(v);
    case 'date':
      return formatDate(v as number, dialect);
    case 'datetime':
      return formatDateTime(v as number, dialect);
    case 'money':
      if (typeof v !== 'bigint')
        throw new Error(`money must be integer cents (bigint), got ${typeof v} ${String(v)}`);
      return formatMoney(v, dialect);
    case 'bool':
      return v ? dialect.bool[0] : dialect.bool[1];
    case 'icd':
      return dialect.icdDot ? String(v) : String(v).replace('.', '');
  }
}

const NEEDS_QUOTES: Record<string, RegExp> = {
  ',': /[",\r\n]/,
  ';': /[";\r\n]/,
  '|': /["|\r\n]/,
  '\t': /["\t\r\n]/,
};

function quote(text: string, dialect: CsvDialect): string {
  if (dialect.quoteAll || (NEEDS_QUOTES[dialect.delimiter] as RegExp).test(text)) {
    return `"${text.replaceAll('"', '""')}"`;
  }
  return text;
}

interface Compiled {
  header: string;
  format: (r: CsvRecord) => string;
  moneyField: string | null;
}

function compile(entity: Entity, columns: readonly DialectColumn[], dialect: CsvDialect): Compiled[] {
  return columns.map((col) => {
    if (col.procedure) {
      const { cpt, modifiers, joiner } = col.procedure;
      return {
        header: col.header,
        moneyField: null,
        format: (r: CsvRecord) => {
          let s = String(r[cpt] ?? '');
          for (const m of modifiers) {
            const v = r[m];
            if (v) s += joiner + String(v);
          }
          return s;
        },
      };
    }
    const field = col.field;
    if (!field) throw new Error(`column ${col.header} has neither field nor procedure`);
    const type = col.type ?? fieldType(entity, field);
    return {
      header: col.header,
      moneyField: type === 'money' ? field : null,
      format: (r: CsvRecord) => formatValue(r[field], type, dialect),
    };
  });
}

/** One CSV file being written. */
export class CsvFile {
  private sink: FileSink;
  private cols: Compiled[];
  private sums: Cents[];
  rows = 0;
  /** Modification time to record (seconds since the epoch); default: the run's as-of date. */
  mtimeSeconds: number | undefined = undefined;

  constructor(
    path: string,
    entity: Entity,
    columns: readonly DialectColumn[],
    private readonly dialect: CsvDialect,
    private readonly log: FileLog,
    private readonly kind: string,
  ) {
    this.sink = new FileSink(path);
    this.cols = compile(entity, columns, dialect);
    this.sums = this.cols.map(() => 0n);
    const header = this.cols.map((c) => quote(c.header, dialect)).join(dialect.delimiter);
    this.sink.write((dialect.bom ? '\uFEFF' : '') + header + dialect.lineEnding);
  }

  row(r: CsvRecord): void {
    const d = this.dialect;
    let line = '';
    for (let i = 0; i < this.cols.length; i++) {
      const c = this.cols[i] as Compiled;
      if (i > 0) line += d.delimiter;
      line += quote(c.format(r), d);
      if (c.moneyField !== null) {
        const v = r[c.moneyField];
        if (typeof v === 'bigint') this.sums[i] = (this.sums[i] as Cents) + v;
      }
    }
    this.sink.write(line + d.lineEnding);
    this.rows++;
  }

  close(): void {
    const d = this.dialect;
    if (d.totalsLabel !== null) {
      const cells = this.cols.map((c, i) => {
        if (i === 0) return quote(d.totalsLabel as string, d);
        if (c.moneyField !== null) return quote(formatMoney(this.sums[i] as Cents, d), d);
        return d.quoteAll ? '""' : '';
      });
      this.sink.write(cells.join(d.delimiter) + d.lineEnding);
    }
    const bytes = this.sink.close();
    this.log.add(this.sink.path, this.kind, bytes, this.rows, this.mtimeSeconds);
  }
}

/** A series of CSV files split by period ('YYYY-MM'); rows must arrive in non-decreasing period order. */
export class PeriodCsv {
  private current: CsvFile | null = null;
  private period: string | null = null;
  private closed = new Set<string>();

  constructor(
    private readonly dir: string,
    private readonly entity: Entity,
    private readonly name: string,
    private readonly columns: readonly DialectColumn[],
    private readonly dialect: CsvDialect,
    private readonly log: FileLog,
    private readonly kind: string,
    /** The day the export of a period was run ('YYYY-MM' → day number); its mtime is 06:00 that day. */
    private readonly exportDay: (period: string) => number,
  ) {}

  row(period: string, r: CsvRecord): void {
    if (period !== this.period) {
      if (this.closed.has(period) || (this.period !== null && period < this.period)) {
        throw new Error(`${this.name}: row for ${period} after ${this.period} was written`);
      }
      if (this.current) {
        this.current.close();
        this.closed.add(this.period as string);
      }
      this.period = period;
      this.current = new CsvFile(
        `${this.dir}/${this.dialect.fileName(this.name, period)}`,
        this.entity,
        this.columns,
        this.dialect,
        this.log,
        this.kind,
      );
      this.current.mtimeSeconds = this.exportDay(period) * 86_400 + 6 * 3_600;
    }
    (this.current as CsvFile).row(r);
  }

  close(): void {
    if (this.current) this.current.close();
    this.current = null;
  }
}
