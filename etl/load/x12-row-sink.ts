import { RawValueError } from '../warehouse/raw-row-buffers.ts';
import { X12Error } from '../x12/errors.ts';
import { type ParseResult, parseX12File, type X12Sink } from '../x12/parse.ts';
import { writeAckError, writeAckGroup, writeAckSet, writeStatus } from './ack-rows.ts';
import { writeClaim837 } from './claim837-rows.ts';
import { type PaymentTrace, paymentTraceOf } from './era-resent.ts';
import { writeClaim, writeImbalance, writeRemittance } from './era835-rows.ts';
import type { X12Writers as Writers } from './x12-tables.ts';

/**
 * An X12 file parsed into raw rows: what the loader checks once the whole file is read. No DuckDB here, so a
 * parsing worker runs the same code as the loading thread (x12-parse-worker.ts).
 */
export interface ParsedRows {
  result: ParseResult;
  /** The payment trace of every 835 remittance, for the resent-payment check. */
  payments: PaymentTrace[];
}

/** Parses the file, each record's rows going to the writers as it is read. */
export async function parseToRows(filePath: string, fileName: string, writers: Writers): Promise<ParsedRows> {
  const sink = locatedSink(fileName, x12RowSink(writers));
  const payments: PaymentTrace[] = [];
  const result = await parseX12File(
    filePath,
    {
      ...sink,
      remittance: (r) => {
        payments.push(paymentTraceOf(r));
        sink.remittance?.(r);
      },
    },
    { fileName },
  );
  return { result, payments };
}

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
