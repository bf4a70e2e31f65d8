import { loadMemoryLimit } from '../config.ts';
import type { FileLoader, FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import type { TableWriter } from '../warehouse/x12-table-writer.ts';
import { issueError, segmentLocation, X12Error } from '../x12/errors.ts';
import type { RawTable } from '../x12/raw-tables.ts';
import { loadsUnderBigFileLimit, withBigFileHint } from './big-file-settings.ts';
import { checkResentPayments } from './era-resent.ts';
import { parseIntoWriters } from './x12-parse-in-worker.ts';
import { x12Tables as tables, type X12Writers as Writers } from './x12-tables.ts';

/** The transaction set types the engine parses into raw tables. */
const READ_TYPES = ['835', '837P', '277CA', '277', '999'];

/**
 * Loads any X12 file the engine reads (835, 837P, 277CA/277, 999) into the raw tables, streaming: rows go to the
 * transaction's table writers while the file is parsed (a big file in a worker thread: x12-parse-in-worker.ts),
 * inside the transaction the caller holds. A file with errors (unparseable, missing trailers, unsupported version,
 * malformed payment amounts) throws X12Error after parsing, so the caller rolls everything back and quarantines
 * it, as it does an 835 whose payment trace the warehouse already holds (era-resent.ts); warnings (SE counts;
 * imbalances are rows, not warnings) are returned for raw.file_warnings.
 */
export const loadX12: FileLoader = async (context: LoaderContext) => {
  const writers = {} as Record<keyof Writers, TableWriter>;
  for (const [key, table] of Object.entries(tables) as [keyof typeof tables, RawTable][]) {
    writers[key] = await context.tableWriter(table);
  }
  const { result, payments } = await parseIntoWriters(context, writers).catch((error: unknown) => {
    // A big file loads under a memory limit of its own (big-file-settings.ts), which its error names.
    throw loadsUnderBigFileLimit(context.filePath, loadMemoryLimit()) ? withBigFileHint(error) : error;
  });
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
