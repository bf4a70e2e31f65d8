import { statSync } from 'node:fs';
import { MessageChannel, type MessagePort, Worker } from 'node:worker_threads';
import { type ColumnData, chunkBuffers } from '../warehouse/raw-row-buffers.ts';
import type { TableWriter } from '../warehouse/x12-table-writer.ts';
import { X12Error } from '../x12/errors.ts';
import type { PaymentTrace } from './era-resent.ts';
import { type ParsedRows, parseToRows } from './x12-row-sink.ts';
import type { X12Writers } from './x12-tables.ts';

/**
 * A big X12 file is parsed in a worker thread while this thread appends its rows: the parse and DuckDB's own
 * work on the appender (which runs on the calling thread) then take a core each. The worker fills the same
 * column buffers the table writers do (raw-row-buffers.ts) and hands each full chunk over, so the rows and their
 * checks are those of the in-thread parse; only who fills the buffers differs.
 */

/**
 * Files from this size up are parsed in a worker. Starting one costs about 0.2 s (a thread, and the TypeScript
 * modules it loads), and the worker saves about 0.015 s a MB (20 against 28 MB/s on the benchmark file), so it
 * pays from about 15 MB on; most inbox files are a few kilobytes (docs/benchmarks.md).
 */
export const WORKER_MIN_BYTES = 32 << 20;

/** The file being loaded, as the worker needs it. */
interface FileToParse {
  filePath: string;
  fileName: string;
  practiceId: string;
  fileId: bigint;
}

/** What the worker is given. */
export interface ParseJob extends FileToParse {
  /** One Int32: chunks this thread has appended, which the worker waits on when too many are in flight. */
  appended: SharedArrayBuffer;
  /** Where this thread gives a chunk's buffers back once it has copied them, for the worker's next chunks. */
  returned: MessagePort;
}

/** What the worker posts: chunks of rows, then the parse's result or its error. */
export type WorkerMessage =
  | { type: 'chunk'; table: keyof X12Writers; count: number; columns: ColumnData[] }
  | { type: 'done'; result: ParsedRows['result']; payments: PaymentTrace[] }
  | {
      type: 'failed';
      error: {
        name: string;
        message: string;
        stack?: string | undefined;
        code?: string | undefined;
        syscall?: string | undefined;
        x12?: { file: string; segmentNo: number; offset: number; expected: string; found: string };
      };
    };

const ENTRY = new URL('./x12-parse-worker.mjs', import.meta.url);

/**
 * The worker's young generation, in MB. The parser makes short-lived strings and records by the million; V8's
 * default young generation let the 1 GB benchmark file peak 30–50 MB higher, no faster (docs/benchmarks.md).
 */
const WORKER_YOUNG_GENERATION_MB = 8;

/** Parses the file into the writers: in a worker from WORKER_MIN_BYTES up, on this thread below. */
export function parseIntoWriters(
  file: FileToParse,
  writers: Readonly<Record<keyof X12Writers, TableWriter>>,
): Promise<ParsedRows> {
  return isParsedInWorker(file.filePath)
    ? parseInWorker(file, writers)
    : parseToRows(file.filePath, file.fileName, writers);
}

/** Whether parseIntoWriters parses the file in a worker. */
export function isParsedInWorker(filePath: string): boolean {
  return statSync(filePath).size >= WORKER_MIN_BYTES;
}

/**
 * Parses the file in a worker, appending its rows through `writers` (in the caller's transaction) as they come.
 * Resolves once every row is appended; rejects with the worker's error (an X12Error stays one), or with this
 * thread's own if appending fails, and the worker is ended either way.
 */
export function parseInWorker(
  file: FileToParse,
  writers: Readonly<Record<keyof X12Writers, TableWriter>>,
): Promise<ParsedRows> {
  const appended = new SharedArrayBuffer(4);
  const counter = new Int32Array(appended);
  // Only these fields: the caller may pass its whole loader context, which holds a connection.
  const { filePath, fileName, practiceId, fileId } = file;
  const { port1: giveBack, port2: returned } = new MessageChannel();
  const job: ParseJob = { filePath, fileName, practiceId, fileId, appended, returned };
  const worker = new Worker(ENTRY, {
    workerData: job,
    transferList: [returned],
    resourceLimits: { maxYoungGenerationSizeMb: WORKER_YOUNG_GENERATION_MB },
  });
  return new Promise<ParsedRows>((resolve, reject) => {
    let settled = false;
    const settle = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      void worker.terminate();
      giveBack.close();
      outcome();
    };
    worker.on('message', (message: WorkerMessage) => {
      if (settled) return;
      try {
        if (message.type === 'chunk') {
          writers[message.table].appendChunk(message.count, message.columns);
          const copied = chunkBuffers(message.columns);
          giveBack.postMessage(copied, copied);
          Atomics.add(counter, 0, 1);
          Atomics.notify(counter, 0);
        } else if (message.type === 'done') {
          const { result, payments } = message;
          settle(() => resolve({ result, payments }));
        } else {
          settle(() => reject(revive(message.error)));
        }
      } catch (error) {
        settle(() => reject(error));
      }
    });
    worker.on('error', (error) => settle(() => reject(error)));
    worker.on('exit', (code) =>
      settle(() =>
        reject(
          new Error(`the worker parsing ${file.fileName} stopped (exit code ${code}) before it finished`),
        ),
      ),
    );
  });
}

/** The worker's error as this thread throws it. */
function revive(shape: Extract<WorkerMessage, { type: 'failed' }>['error']): Error {
  if (shape.x12) return new X12Error(shape.x12);
  const error = new Error(shape.message) as NodeJS.ErrnoException;
  error.name = shape.name;
  if (shape.stack !== undefined) error.stack = shape.stack;
  if (shape.code !== undefined) error.code = shape.code;
  if (shape.syscall !== undefined) error.syscall = shape.syscall;
  return error;
}
