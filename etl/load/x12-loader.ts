import type { FileLoader, FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import { RawValueError } from '../warehouse/x12-table-writer.ts';
import { issueError, segmentLocation, X12Error } from '../x12/errors.ts';
import { parseX12File, type X12Sink } from '../x12/parse.ts';
import type { RawTable } from '../x12/raw-tables.ts';
import { writeAckError, writeAckGroup, writeAckSet, writeStatus } from './ack-rows.ts';
import { writeClaim837 } from './claim837-rows.ts';
import { checkResentPayments, type PaymentTrace, paymentTraceOf } from './era-resent.ts';
import { writeClaim, writeImbalance, writeRemittance } from './era835-rows.ts';
import { x12Tables as tables, type X12Writers as Writers } from './x12-tables.ts';

/** The transaction set types the engine parses into raw tables. */
const READ_TYPES = ['835', '837P', '277CA', '277', '999'];

/**
 * Loads any X12 file the engine reads (835, 837P, 277CA/277, 999) into the raw tables, streaming: rows go to the
 * transaction's table writers while the file is parsed, inside the transaction the caller holds. A file with errors
 * (unparseable, missing trailers, unsupported version, malformed payment amounts) throws X12Error after parsing,
 * so the caller rolls everything back and quarantines it, as it does an 835 whose payment trace the warehouse
 * already holds (era-resent.ts); warnings (SE counts, imbalances are rows, not
 * warnings) are returned for raw.file_warnings.
 */
export const loadX12: FileLoader = async (context: LoaderContext) => {
  const writers = {} as Writers;
  for (const [key, table] of Object.entries(tables) as [keyof typeof tables, RawTable][]) {
    writers[key] = await context.tableWriter(table);
  }
  const sink = locatedSink(context.fileName, x12RowSink(writers));
  const payments: PaymentTrace[] = [];
  const result = await parseX12File(
    context.filePath,
    {
      ...sink,
      remittance: (r) => {
        payments.push(paymentTraceOf(r));
        sink.remittance?.(r);
      },
    },
    { fileName: context.fileName },
  );
  const error = result.issues.find((issue) => issue.severity === 'error');
  if (error) throw issueError(context.fileName, error);
  const resent = await checkResentPayments(context, payments);
  const types = result.summary.transactionTypes;
  if (!READ_TYPES.some((type) => types.has(type))) {
    // X12, but nothing the warehouse keeps (an 834, an 837I …): refused rather than loaded empty.
    const first = result.issues.find((issue) => issue.code === 'x12.not_parsed');
    throw new X12Error({
      file: context.fileName,
      segmentNo: first?.segmentNo ?? 0,
      offset: first?.offset ?? 0,
      expected: 'an 835, 837P, 277CA or 999 transaction set',
      found: `transaction set ${[...types.keys()].join(', ') || 'none'}`,
    });
  }
  // The rows stay in the writers, shared with the transaction's other files, until it flushes them.
  let rowCount = 0;
  for (const writer of Object.values(writers)) rowCount += writer.rowCount;
  const warnings: FileWarning[] = result.issues.map((issue) => ({
    location: segmentLocation(issue.segmentNo, issue.offset),
    code: issue.code,
    message: issue.message,
  }));
  warnings.push(...resent);
  return { rowCount, warnings };
};

/**
 * The sink with each record's rows written at its place in the file: a value the raw tables cannot store (a
 * well-formed amount beyond DECIMAL(18,2); or, from a parser defect, a wrong type or no value for a NOT NULL
 * column) quarantines the file naming the segment the record starts at, not just the file.
 */
function locatedSink(fileName: string, sink: X12Sink): X12Sink {
  const located: Record<string, (record: { segmentNo: number; offset: number }) => void> = {};
  for (const [name, write] of Object.entries(sink) as [string, (record: never) => void][]) {
    located[name] = (record) => {
      try {
        write(record as never);
      } catch (error) {
        // anything else is a defect of the loader's own, not of a value, and keeps its stack
        if (!(error instanceof RawValueError)) throw error;
        throw new X12Error({
          file: fileName,
          segmentNo: record.segmentNo,
          offset: record.offset,
          expected: 'values the raw tables can store',
          found: error.message,
        });
      }
    };
  }
  return located as X12Sink;
}

/** Maps parsed records to raw rows. Exported for the benchmark, which measures parse + load without a registry. */
export function x12RowSink(w: Writers): X12Sink {
  return {
    remittance: (r) => writeRemittance(w, r),
    claim: (c) => writeClaim(w, c),
    claim837: (c) => writeClaim837(w, c),
    imbalance: (i) => writeImbalance(w, i),
    claimStatus: (s) => writeStatus(w, s),
    ackTransactionSet: (s) => writeAckSet(w, s),
    ackGroup: (g) => writeAckGroup(w, g),
    ackError: (e) => writeAckError(w, e),
  };
}
