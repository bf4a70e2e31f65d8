import { readFileSync } from 'node:fs';
import { DuckDBDateValue, DuckDBDecimalValue } from '@duckdb/node-api';
import { parseCents } from '../money.ts';
import { InputError } from '../warehouse/errors.ts';
import type { FileLoader, FileWarning } from '../warehouse/load-file.ts';

/**
 * First-slice 835 loader: reads remittance headers (BPR/TRN/N1) and claims (CLP) into raw.era_remittances and
 * raw.era_claims. It reads the whole file into memory and checks little; the X12 engine replaces it.
 */
export const loadThin835: FileLoader = async ({ fileId, practiceId, filePath, fileName, appender }) => {
  const text = readFileSync(filePath, 'latin1');
  const segments = splitSegments(text, fileName);
  const remittances = await appender('era_remittances');
  const claims = await appender('era_claims');
  let rowCount = 0;
  const warnings: FileWarning[] = [];
  let isa13: string | null = null;
  let current: Remittance | null = null;

  const flush = () => {
    if (!current) return;
    if (current.totalPaid === null) {
      throw new InputError({
        file: fileName,
        location: `segment ${current.segmentNo}`,
        expected: 'a BPR segment in the transaction',
        found: 'none',
      });
    }
    remittances.appendVarchar(practiceId);
    remittances.appendBigInt(fileId);
    appendNullable(remittances, isa13);
    remittances.appendVarchar(current.st02);
    remittances.appendInteger(current.segmentNo);
    appendNullable(remittances, current.payerName);
    appendNullable(remittances, current.payeeName);
    appendNullable(remittances, current.payeeNpi);
    remittances.appendDecimal(new DuckDBDecimalValue(current.totalPaid, 18, 2));
    appendNullable(remittances, current.creditDebit);
    appendNullable(remittances, current.method);
    if (current.paymentDate) remittances.appendDate(current.paymentDate);
    else remittances.appendNull();
    appendNullable(remittances, current.trace);
    remittances.endRow();
    rowCount++;
    current = null;
  };

  for (const { elements, segmentNo } of segments) {
    const id = elements[0];
    const el = (i: number) => elements[i] ?? '';
    if (id === 'ISA') isa13 = el(13).trim();
    else if (id === 'ST') {
      flush();
      current = {
        st02: el(2),
        segmentNo,
        totalPaid: null,
        creditDebit: null,
        method: null,
        paymentDate: null,
        trace: null,
        payerName: null,
        payeeName: null,
        payeeNpi: null,
      };
    } else if (current && id === 'BPR') {
      current.totalPaid = money(el(2), fileName, segmentNo, 'BPR02');
      current.creditDebit = el(3) || null;
      current.method = el(4) || null;
      current.paymentDate = el(16) ? date(el(16)) : null;
      if (el(16) && !current.paymentDate) {
        // Real payers' files carry impossible dates (the TR3's own managed-care example has 20002316):
        // keep the remittance, flag the date.
        warnings.push({
          location: `segment ${segmentNo} BPR16`,
          code: 'invalid-date',
          message: `BPR16 ${JSON.stringify(el(16))} is not a valid CCYYMMDD date; payment_date left empty`,
        });
      }
    } else if (current && id === 'TRN') current.trace = el(2) || null;
    else if (current && id === 'N1' && el(1) === 'PR') current.payerName = el(2) || null;
    else if (current && id === 'N1' && el(1) === 'PE') {
      current.payeeName = el(2) || null;
      current.payeeNpi = el(3) === 'XX' ? el(4) || null : null;
    } else if (current && id === 'CLP') {
      claims.appendVarchar(practiceId);
      claims.appendBigInt(fileId);
      claims.appendVarchar(current.st02);
      claims.appendInteger(segmentNo);
      claims.appendVarchar(el(1));
      claims.appendVarchar(el(2));
      claims.appendDecimal(new DuckDBDecimalValue(money(el(3), fileName, segmentNo, 'CLP03'), 18, 2));
      claims.appendDecimal(new DuckDBDecimalValue(money(el(4), fileName, segmentNo, 'CLP04'), 18, 2));
      if (el(5))
        claims.appendDecimal(new DuckDBDecimalValue(money(el(5), fileName, segmentNo, 'CLP05'), 18, 2));
      else claims.appendNull();
      appendNullable(claims, el(7) || null);
      claims.endRow();
      rowCount++;
    } else if (id === 'SE') flush();
  }
  flush();
  if (rowCount === 0) {
    throw new InputError({
      file: fileName,
      location: 'file',
      expected: 'an 835 transaction (ST*835)',
      found: 'none',
    });
  }
  return { rowCount, warnings };
};

interface Remittance {
  st02: string;
  segmentNo: number;
  totalPaid: bigint | null;
  creditDebit: string | null;
  method: string | null;
  paymentDate: DuckDBDateValue | null;
  trace: string | null;
  payerName: string | null;
  payeeName: string | null;
  payeeNpi: string | null;
}

function splitSegments(text: string, fileName: string): { elements: string[]; segmentNo: number }[] {
  const body = text.replace(/^\s+/, '');
  let elementSep = '*';
  let terminator = '~';
  if (body.startsWith('ISA')) {
    elementSep = body[3] ?? '*';
    terminator = body[105] ?? '~';
  } else if (!body.startsWith('ST')) {
    throw new InputError({
      file: fileName,
      location: 'byte 0',
      expected: 'ISA or ST',
      found: JSON.stringify(body.slice(0, 3)),
    });
  }
  return body
    .split(terminator)
    .map((raw) => raw.replace(/[\r\n]/g, '').trim())
    .filter((raw) => raw.length > 0)
    .map((raw, index) => ({ elements: raw.split(elementSep), segmentNo: index + 1 }));
}

function money(text: string, file: string, segmentNo: number, element: string): bigint {
  const cents = parseCents(text);
  if (cents === null) {
    throw new InputError({
      file,
      location: `segment ${segmentNo} ${element}`,
      expected: 'a decimal amount',
      found: JSON.stringify(text),
    });
  }
  return cents;
}

/** A CCYYMMDD date, or null when the text is not a real calendar date. */
function date(text: string): DuckDBDateValue | null {
  const m = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const ms = Date.UTC(year, month - 1, day);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== year || back.getUTCMonth() !== month - 1 || back.getUTCDate() !== day)
    return null;
  return new DuckDBDateValue(ms / 86_400_000);
}

function appendNullable(
  appender: { appendVarchar(v: string): void; appendNull(): void },
  value: string | null,
) {
  if (value === null) appender.appendNull();
  else appender.appendVarchar(value);
}
