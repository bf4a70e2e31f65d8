import type { CanonicalType } from './canonical.ts';

/**
 * SQL expressions that clean and convert one text value (a VARCHAR read by `read_csv`) into its canonical type.
 * Each conversion yields NULL for an empty value and for a value it cannot read; the loader tells the two apart
 * with `isEmpty` and reports the first unreadable one with `expected`.
 */

/** How a profile's files write values (profile.ts merges it from YAML); the SQL below reads them so. */
export interface MoneyFormat {
  symbols: string[];
  thousands: string;
  decimal: '.' | ',';
  negatives: ('minus' | 'parentheses' | 'trailing_minus')[];
}

export interface Format {
  encoding: 'auto' | 'utf-8' | 'windows-1252';
  delimiter: string;
  quote: string;
  dates: string[];
  datetimes: string[];
  money: MoneyFormat;
  booleans: { true: string[]; false: string[] };
  skip_rows: { column?: string; pattern: string; totals?: boolean }[];
}

export const sqlString = (text: string): string => `'${text.replaceAll("'", "''")}'`;

/** Escapes text for use as a literal inside an RE2 regular expression. */
const reLiteral = (text: string): string => text.replace(/[\\^$.*+?()[\]{}|/-]/g, '\\$&');

/** 'MM/DD/YYYY hh:mm AM' -> '%m/%d/%Y %I:%M %p'; a format already holding % codes passes through. */
export function toStrptime(format: string): string {
  if (format.includes('%')) return format;
  const codes: Record<string, string> = {
    YYYY: '%Y',
    YY: '%y',
    MM: '%m',
    M: '%m',
    DD: '%d',
    D: '%d',
    HH: '%H',
    hh: '%I',
    mm: '%M',
    ss: '%S',
    AM: '%p',
    PM: '%p',
  };
  return format.replace(/AM|PM|YYYY|YY|MM|M|DD|D|HH|hh|mm|ss/g, (token) => codes[token] ?? token);
}

const sqlList = (items: string[]): string => `[${items.map(sqlString).join(', ')}]`;

export function moneyPattern(money: MoneyFormat): string {
  const symbol = money.symbols.length > 0 ? `(?:${money.symbols.map(reLiteral).join('|')})?\\s*` : '';
  const whole = money.thousands ? `(?:\\d{1,3}(?:${reLiteral(money.thousands)}\\d{3})+|\\d+)` : '\\d+';
  const dec = reLiteral(money.decimal);
  const number = `(?:${whole}(?:${dec}\\d{0,2})?|${dec}\\d{1,2})`;
  const alternatives = [`${symbol}${number}`];
  if (money.negatives.includes('minus')) alternatives.push(`-\\s*${symbol}${number}`, `${symbol}-${number}`);
  if (money.negatives.includes('parentheses')) alternatives.push(`\\(\\s*-?\\s*${symbol}${number}\\s*\\)`);
  if (money.negatives.includes('trailing_minus')) alternatives.push(`${symbol}${number}\\s*-`);
  return `^(?:${alternatives.join('|')})$`;
}

export function moneyExample(money: MoneyFormat): string {
  const symbol = money.symbols[0] ?? '';
  const th = money.thousands;
  const dec = money.decimal;
  const negatives = money.negatives.map((style) =>
    style === 'minus'
      ? `-${symbol}12${dec}00`
      : style === 'parentheses'
        ? `(${symbol}12${dec}00)`
        : `12${dec}00-`,
  );
  return `an amount like ${symbol}1${th}234${dec}56 (negative: ${negatives.join(' or ')}), at most 2 decimals`;
}

/** ISO dates go through DuckDB's date cast (about twice as fast as strptime); one format needs no list. */
function dateSql(text: string, formats: string[]): string {
  const [first, ...rest] = formats;
  if (first === '%Y-%m-%d') {
    const cast = `try_cast(${text} as date)`;
    return rest.length === 0 ? cast : `coalesce(${cast}, ${dateSql(text, rest)})`;
  }
  const parsed =
    formats.length === 1
      ? `try_strptime(${text}, ${sqlString(first ?? '')})`
      : `try_strptime(${text}, ${sqlList(formats)})`;
  return `cast(${parsed} as date)`;
}

export interface ValueSql {
  /** The converted value (NULL when empty or unreadable). */
  value: string;
  /** Human description of what a readable value looks like, for error reports. */
  expected: string;
}

/** `text` is a SQL expression of type VARCHAR (possibly NULL). */
export function convertSql(type: CanonicalType, text: string, format: Format): ValueSql {
  const t = `trim(${text})`;
  switch (type) {
    case 'text':
      return { value: `nullif(${t}, '')`, expected: 'text' };
    case 'code':
      return { value: `nullif(upper(${t}), '')`, expected: 'a code' };
    case 'icd': {
      const bare = `upper(replace(replace(${t}, '.', ''), ' ', ''))`;
      return {
        value: `(case when regexp_full_match(${bare}, '[A-Z][0-9][0-9A-Z][0-9A-Z]{0,4}') then (case when length(${bare}) > 3 then ${bare}[1:3] || '.' || ${bare}[4:] else ${bare} end) end)`,
        expected: 'an ICD-10 code like E11.9 or E119',
      };
    }
    case 'int':
      return {
        value: `(case when regexp_full_match(${t}, '[+-]?[0-9]{1,9}') then cast(${t} as integer) end)`,
        expected: 'a whole number',
      };
    case 'date':
      return {
        value: dateSql(t, [...new Set(format.dates.map(toStrptime))]),
        expected: `a date as ${format.dates.join(' or ')}`,
      };
    case 'datetime': {
      const formats = [...new Set([...format.datetimes, ...format.dates])];
      return {
        value: `try_strptime(${t}, ${sqlList(formats.map(toStrptime))})`,
        expected: `a date and time as ${formats.join(' or ')}`,
      };
    }
    case 'money': {
      const money = format.money;
      const keep = money.decimal === ',' ? '[^0-9,]' : '[^0-9.]';
      let digits = `regexp_replace(${t}, ${sqlString(keep)}, '', 'g')`;
      if (money.thousands === money.decimal)
        throw new Error('money: thousands and decimal separators are equal');
      if (money.decimal === ',') digits = `replace(${digits}, ',', '.')`;
      const negative = `(contains(${t}, '-') or starts_with(${t}, '('))`;
      return {
        value: `(case when regexp_full_match(${t}, ${sqlString(moneyPattern(money))}) then (case when ${negative} then -1 else 1 end) * try_cast(${digits} as decimal(18,2)) end)`,
        expected: moneyExample(money),
      };
    }
    case 'bool': {
      const lower = (items: string[]) => sqlList(items.map((item) => item.toLowerCase()));
      return {
        value: `(case when list_contains(${lower(format.booleans.true)}, lower(${t})) then true when list_contains(${lower(format.booleans.false)}, lower(${t})) then false end)`,
        expected: `a flag: ${[...format.booleans.true, ...format.booleans.false].join(', ')}`,
      };
    }
  }
}

/**
 * A cell as a spreadsheet saved it: Excel writes ="00123" to keep a text cell's leading zeros (account numbers,
 * ZIP codes); the value is what is inside the quotes, with doubled quotes read as one. Any other cell is left
 * as it is.
 */
export const excelTextSql = (text: string): string => {
  const t = `trim(${text})`;
  return `(case when prefix(${t}, '="') and suffix(${t}, '"') and length(${t}) >= 3 then replace(${t}[3:-2], '""', '"') else ${text} end)`;
};

/** excelTextSql for a cell read in JavaScript (lines DuckDB's reader rejected). */
export function excelText(cell: string): string {
  const t = cell.trim();
  return t.length >= 3 && t.startsWith('="') && t.endsWith('"') ? t.slice(2, -1).replaceAll('""', '"') : cell;
}

/** True when the text is NULL or blank. */
export const isEmptySql = (text: string): string => `coalesce(trim(${text}), '') = ''`;
