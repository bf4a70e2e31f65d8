import { parentPort, workerData } from 'node:worker_threads';
import { type ColumnData, chunkBuffers, RowBuffer } from '../warehouse/raw-row-buffers.ts';
import { X12Error } from '../x12/errors.ts';
import { ReturnedBuffers } from './returned-buffers.ts';
import type { ParseJob, WorkerMessage } from './x12-parse-in-worker.ts';
import { parseToRows } from './x12-row-sink.ts';
import { type X12Writers, x12Tables } from './x12-tables.ts';

/**
 * The parsing worker's side (started by x12-parse-in-worker.ts through x12-parse-worker.mjs): parses one X12 file
 * into raw rows and posts each full chunk's column buffers to the thread that holds the DuckDB connection, which
 * appends them while this thread reads on. No DuckDB here.
 */

/**
 * Chunks posted but not yet appended, beyond which the worker waits: bounds the memory between the threads (0.2
 * to 1.3 MB a chunk: 2,048 rows in DuckDB's layout, 16 bytes a text cell; era_claims has 51 columns). Under the
 * big-file memory limit (big-file-settings.ts) 16 loaded the 1 GB benchmark file as fast as 32 or 64, peaking at
 * 354–356 MB against 381–417 (docs/benchmarks.md); at DuckDB's default limit 64 was 10–20 % faster.
 */
const MAX_IN_FLIGHT = 16;

const port = parentPort;
if (port === null) throw new Error('x12-parse-worker.ts runs in a worker thread');
const job = workerData as ParseJob;
const appended = new Int32Array(job.appended);
let posted = 0;

/** The buffers of the next chunks: those the loading thread gave back, or new ones while none have come back. */
const buffers = new ReturnedBuffers(job.returned);

/** Hands the chunk over (its buffers move, not copied), then waits while too many are on their way. */
function post(table: keyof X12Writers, count: number, columns: ColumnData[]): void {
  port?.postMessage({ type: 'chunk', table, count, columns } satisfies WorkerMessage, chunkBuffers(columns));
  posted++;
  for (;;) {
    const done = Atomics.load(appended, 0);
    if (posted - done < MAX_IN_FLIGHT) return;
    Atomics.wait(appended, 0, done);
  }
}

/** A table's rows, posted a full chunk at a time (and what is left at the end of the file). */
class PostedRows extends RowBuffer {
  constructor(private readonly key: keyof X12Writers) {
    super(x12Tables[key], job.practiceId, job.fileId);
  }

  flush(): void {
    const count = this.buffered;
    const columns = this.columns();
    if (count === 0 || columns === null) return;
    const data = columns.map((column) => column.detach(count, buffers));
    this.buffered = 0;
    post(this.key, count, data);
  }
}

async function run(): Promise<WorkerMessage> {
  const writers = {} as Record<keyof X12Writers, PostedRows>;
  for (const key of Object.keys(x12Tables) as (keyof X12Writers)[]) writers[key] = new PostedRows(key);
  try {
    const { result, payments } = await parseToRows(job.filePath, job.fileName, writers);
    for (const writer of Object.values(writers)) writer.flush();
    return { type: 'done', result, payments };
  } catch (error) {
    return { type: 'failed', error: errorShape(error) };
  }
}

/** What the loading thread needs to throw the same error: X12Error's fields, a file system error's code. */
function errorShape(error: unknown): Extract<WorkerMessage, { type: 'failed' }>['error'] {
  if (error instanceof X12Error) {
    return {
      name: error.name,
      message: error.message,
      x12: {
        file: error.file,
        segmentNo: error.segmentNo,
        offset: error.offset,
        expected: error.expected,
        found: error.found,
      },
    };
  }
  const { name, message, stack, code, syscall } = (error ?? {}) as NodeJS.ErrnoException;
  return { name: name ?? 'Error', message: message ?? String(error), stack, code, syscall };
}

port.postMessage(await run());
// The loading thread ends this worker once it has the result; until then nothing more happens here.
port.on('message', () => {});
