import {
  chmodSync,
  constants,
  copyFileSync,
  existsSync,
  mkdirSync,
  readFileSync,
  renameSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { chmod, copyFile, mkdir, readFile, rename, writeFile as writeFileAsync } from 'node:fs/promises';
import path from 'node:path';
import {
  BIGINT,
  type DuckDBAppender,
  type DuckDBConnection,
  type DuckDBListValue,
  type DuckDBTimestampValue,
  INTEGER,
  LIST,
  listValue,
  VARCHAR,
} from '@duckdb/node-api';
import { z } from 'zod';
import type { WarehousePaths } from '../config.ts';
import { InputError, isInputError } from '../input-error.ts';
import type { RawTable } from '../x12/raw-tables.ts';
import { sha256File } from './file-hash.ts';
import { InboxFileHashes } from './inbox-file-hashes.ts';
import { preparedStatement } from './prepared.ts';
import { TableWriter } from './x12-table-writer.ts';

export const practiceIdSchema = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_-]{0,31}$/,
    'practice id: 1-32 letters, digits, _ or -, starting alphanumeric',
  );

export interface FileWarning {
  location: string;
  code: string;
  message: string;
}

export interface LoaderContext {
  connection: DuckDBConnection;
  fileId: bigint;
  practiceId: string;
  filePath: string;
  /** The name shown in errors and stored in the registry (the file's base name). */
  fileName: string;
  /**
   * An appender on a raw table, shared by the files of one transaction and flushed into it before it commits or
   * rolls back. Loaders must take appenders here, never from the connection, so no buffered row outlives the
   * transaction, and must not read back rows they appended (they reach the table only at the flush).
   */
  appender(table: string): Promise<DuckDBAppender>;
  /**
   * A writer on a raw table's shared appender, taking this file's rows. It may hold them until the transaction
   * flushes its appenders, so the rows of many small files fill one data chunk.
   */
  tableWriter(table: RawTable): Promise<TableWriter>;
  /**
   * Marks a key (e.g. an 835's payment trace) as held by this file for the rest of its transaction. Returns the
   * name of another, earlier file of the same transaction that holds it, or null: the rows of a transaction's
   * earlier files may not be in their tables yet, so a loader cannot find them by a query.
   */
  holdKey(key: string): string | null;
  /**
   * Work shared by the files of one transaction (e.g. reading what the warehouse already holds for a practice),
   * done when the first file asks for its key and reused by the others: a query per file cost milliseconds.
   */
  once<T>(key: string, compute: () => Promise<T>): Promise<T>;
}

export interface LoaderResult {
  rowCount: number;
  warnings: FileWarning[];
}

/** Writes one file's rows into raw tables. Runs inside the file's transaction; throws InputError on bad input. */
export type FileLoader = ((context: LoaderContext) => Promise<LoaderResult>) & {
  /**
   * Optional work shared by several files of a batch, done before its transaction begins (so that nothing it
   * does can abort the transaction): it may read files, never write a table other than temporary ones. Returns
   * the cleanup to run once the batch is committed or given up. A file the preparation could not serve loads
   * as if it had none.
   */
  prepareBatch?: (connection: DuckDBConnection, files: BatchFile[]) => Promise<() => Promise<void>>;
};

/** A file of a batch, as a loader's batch preparation sees it. */
export interface BatchFile {
  /** Absolute, as the loader's context will name it. */
  filePath: string;
  fileName: string;
  practiceId: string;
}

/** The path and name a file's loader context will carry: what a batch preparation must key its work by. */
export function batchFileOf(request: LoadRequest): BatchFile {
  const filePath = path.resolve(request.filePath);
  return {
    filePath,
    fileName: path.basename(request.sourcePath ?? filePath),
    practiceId: request.practiceId,
  };
}

export interface LoadRequest {
  filePath: string;
  practiceId: string;
  kind: string;
  /** The mapping profile the caller forced on a CSV file, if any: recorded so a recovery reads it the same way. */
  profile?: string;
  /**
   * Reference data several practices may load byte for byte (a shared payer list): the same content loaded for
   * another practice is loaded again for this one instead of refused.
   */
  sharedAcrossPractices?: boolean;
  /** Where the file was first found, when `filePath` is a copy of it (a re-load from the archive). */
  sourcePath?: string;
}

/**
 * What the archive and quarantine keep beside each copy (`load.json`): enough to load the copy again as it was
 * loaded, should the registry row be lost (a write-ahead log set aside by `rcm recover`).
 */
export const loadRecordSchema = z.object({
  practice_id: practiceIdSchema,
  kind: z.string(),
  profile: z.string().optional(),
  source_path: z.string(),
  original_name: z.string(),
  /** When the copy was made, and a tie-breaker within the millisecond: recovery re-loads in this order. */
  archived_at: z.string(),
  order: z.string().regex(/^\d+$/),
});
export type LoadRecord = z.infer<typeof loadRecordSchema>;
export const LOAD_RECORD_FILE = 'load.json';

/**
 * A copy's load records: `load.json` for the practice that first kept it, `load.<practice>.json` for each other
 * practice that loaded the same reference file (CanonicalEntity.sharedAcrossPractices).
 */
export const isLoadRecordFile = (name: string): boolean =>
  /^load(\.[A-Za-z0-9][A-Za-z0-9_-]*)?\.json$/.test(name);

function loadRecordFileFor(dir: string, practiceId: string): string {
  const kept = readLoadRecord(path.join(dir, LOAD_RECORD_FILE));
  // none yet, ours, or unreadable (left torn by a version that wrote it in place): load.json is this practice's
  return kept === null || kept.practice_id === practiceId ? LOAD_RECORD_FILE : `load.${practiceId}.json`;
}

/** A kept copy's load record, or null when there is none or it cannot be read as one. */
export function readLoadRecord(file: string): LoadRecord | null {
  if (!existsSync(file)) return null;
  try {
    return parseLoadRecord(readFileSync(file, 'utf8'));
  } catch {
    return null;
  }
}

function parseLoadRecord(text: string): LoadRecord | null {
  try {
    const parsed = loadRecordSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : null;
  } catch {
    return null;
  }
}

/** loadRecordFileFor without blocking the main thread (the archive copies of a batch). */
async function loadRecordFileForAsync(dir: string, practiceId: string): Promise<string> {
  const kept = await readFile(path.join(dir, LOAD_RECORD_FILE), 'utf8').then(parseLoadRecord, () => null);
  return kept === null || kept.practice_id === practiceId ? LOAD_RECORD_FILE : `load.${practiceId}.json`;
}

export type LoadOutcome =
  | { status: 'loaded'; fileId: bigint; sha256: string; rowCount: number; warnings: FileWarning[] }
  | { status: 'skipped'; fileId: bigint; sha256: string }
  | { status: 'quarantined'; fileId: bigint; sha256: string; location: string; message: string };

/**
 * Loads one file whole or not at all: one transaction holds its registry row, its warnings and every raw row
 * the loader writes. A file whose content was loaded before is skipped, so re-loading changes nothing.
 * A file the loader rejects is rolled back, copied to the quarantine folder beside a JSON error report,
 * and recorded as quarantined; the caller goes on with the next file. A quarantined file is tried again on the
 * next load (the loaders may have learnt to read it) and recorded again only if it now fails differently.
 */
export async function loadFile(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  request: LoadRequest,
  loader: FileLoader,
): Promise<LoadOutcome> {
  const file = await planFile(connection, request, loader);
  if ('status' in file) return file;
  await connection.run('begin transaction');
  const appenders = new TransactionAppenders(connection);
  let outcome: LoadOutcome;
  try {
    outcome = await writeFile(connection, paths, file, appenders, 0);
    appenders.flush();
    const failed = await appenders.copies.settle();
    if (failed !== null) throw failed.reason;
  } catch (error) {
    appenders.discard();
    await appenders.copies.settle();
    await connection.run('rollback');
    return quarantine(connection, paths, file, error);
  }
  // Outside the quarantine's reach: a commit that fails (out of memory, a full disk) says nothing about the file.
  // DuckDB has then ended the transaction itself, and its error is the load's.
  await connection.run('commit');
  return outcome;
}

/**
 * A file of a batch was rejected: the caller rolls the batch back and loads that file on its own (to quarantine
 * it), the files before it again as a batch. DuckDB has no savepoints, so one bad file undoes its batch.
 */
export class BatchFileRejected extends Error {
  constructor(
    readonly index: number,
    readonly reason: unknown,
  ) {
    super(`file ${index} of the batch was rejected`);
    this.name = 'BatchFileRejected';
  }
}

/**
 * Loads several files in the caller's open transaction, so that one commit (one write-ahead-log flush) serves
 * them all; a crash before the commit leaves none of them, as a crash before a single file's commit does. Files
 * are whole or absent either way. Throws BatchFileRejected on the first file the loaders reject.
 */
export async function loadFilesInTransaction(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  requests: { request: LoadRequest; loader: FileLoader }[],
): Promise<LoadOutcome[]> {
  const files = await planFiles(connection, requests);
  const outcomes: LoadOutcome[] = [];
  const appenders = new TransactionAppenders(connection);
  for (const [index, file] of files.entries()) {
    try {
      outcomes.push('status' in file ? file : await writeFile(connection, paths, file, appenders, index));
    } catch (error) {
      appenders.discard();
      await appenders.copies.settle();
      throw new BatchFileRejected(index, error);
    }
    if (appenders.bufferedRows >= BATCH_FLUSH_ROWS || index === files.length - 1) {
      try {
        appenders.flush();
      } catch (error) {
        // As for a rejected file: no archive copy of this attempt may still be running when the caller rolls back
        // and loads these files again (each copy names its load record by reading the folder it writes to).
        await appenders.copies.settle();
        throw new BatchFlushFailed(error);
      }
    }
  }
  // Every committed file has its archive copy, as when the copies were made in line.
  const failed = await appenders.copies.settle();
  if (failed !== null) throw new BatchFileRejected(failed.index, failed.reason);
  return outcomes;
}

/**
 * Rows a batch's appenders may hold before they are flushed into its transaction: few flushes, yet the rows of
 * a 32 MiB batch are not all held twice (in the appenders and then in the transaction) at once.
 */
const BATCH_FLUSH_ROWS = 65_536;

/**
 * The batch's rows could not be flushed into its transaction, and no file can be named: the caller rolls back
 * and tries a smaller batch, down to single files, whose own flush names the file. (The table writers check each
 * value's type as it is buffered, so this is not expected to happen.)
 */
export class BatchFlushFailed extends Error {
  constructor(readonly reason: unknown) {
    super(`the batch's rows could not be written: ${(reason as Error)?.message ?? String(reason)}`);
    this.name = 'BatchFlushFailed';
  }
}

/**
 * Appenders on raw tables, one per table for a whole transaction: every file of a batch writes through the same
 * appender, flushed into the transaction once it holds many rows and before the commit. A flush costs
 * milliseconds however few rows it holds (docs/benchmarks.md): flushing per file made it most of a small file's
 * load time.
 */
class TransactionAppenders {
  /** The archive copies of the transaction's files, made while they load. */
  readonly copies = new PendingCopies();
  private readonly open = new Map<string, DuckDBAppender>();
  private readonly writers = new Map<string, TableWriter>();
  /** Rows the files written since the last flush reported (an upper bound on what the appenders hold). */
  bufferedRows = 0;
  /** Keys the transaction's files hold (LoaderContext.holdKey), with the file that first held each. */
  readonly heldKeys = new Map<string, { fileId: bigint; fileName: string }>();
  /** Results of LoaderContext.once for this transaction. */
  readonly shared = new Map<string, Promise<unknown>>();

  constructor(private readonly connection: DuckDBConnection) {}

  async get(table: string): Promise<DuckDBAppender> {
    let appender = this.open.get(table);
    if (appender === undefined) {
      appender = await this.connection.createAppender(table, 'raw');
      this.open.set(table, appender);
    }
    return appender;
  }

  /** The table's writer for this transaction, taking the rows of the file named. */
  async writer(table: RawTable, practiceId: string, fileId: bigint): Promise<TableWriter> {
    let writer = this.writers.get(table.name);
    if (writer === undefined) {
      writer = new TableWriter(await this.get(table.name), table, practiceId, fileId);
      this.writers.set(table.name, writer);
    }
    writer.startFile(practiceId, fileId);
    return writer;
  }

  /** Writes every buffered row into the open transaction; throws (the rest discarded) if one cannot be. */
  flush(): void {
    const writers = [...this.writers.values()];
    this.writers.clear();
    const all = [...this.open.values()];
    this.open.clear();
    this.bufferedRows = 0;
    try {
      for (const writer of writers) writer.flush();
      for (const appender of all) appender.closeSync();
    } catch (error) {
      discardAppenders(all);
      throw error;
    }
  }

  /** Before a rollback: nothing buffered may outlive the transaction. */
  discard(): void {
    this.writers.clear();
    const all = [...this.open.values()];
    this.open.clear();
    this.bufferedRows = 0;
    discardAppenders(all);
  }
}

/**
 * The archive copies of a transaction's files, made by libuv's threads while the main thread loads the next file
 * (in line they took about 1.3 ms a file: a folder, the copy, its mode, its load record, on a busy disk). The
 * transaction commits only after every copy is finished, so a committed file has its copy just as before. Copies
 * into one folder (a shared reference file loaded for two practices) run one after the other: each picks its load
 * record's name by reading the folder.
 */
class PendingCopies {
  private readonly byDir = new Map<string, Promise<void>>();
  private pending: { index: number; done: Promise<void> }[] = [];

  /** Starts the copy for the file at `index` of the transaction. */
  add(index: number, dir: string, copy: () => Promise<void>): void {
    const done = (this.byDir.get(dir) ?? Promise.resolve()).then(copy, copy);
    this.byDir.set(dir, done);
    done.catch(() => undefined); // reported by settle()
    this.pending.push({ index, done });
  }

  /** Waits for every copy started; returns the first that failed, in file order, or null. */
  async settle(): Promise<{ index: number; reason: unknown } | null> {
    const pending = this.pending;
    this.pending = [];
    this.byDir.clear();
    const results = await Promise.allSettled(pending.map(({ done }) => done));
    const failed = results.findIndex((result) => result.status === 'rejected');
    if (failed < 0) return null;
    return {
      index: (pending[failed] as { index: number }).index,
      reason: (results[failed] as PromiseRejectedResult).reason,
    };
  }
}

/** A file to load, hashed, with the record its archive copy will keep. */
interface DescribedFile {
  practiceId: string;
  filePath: string;
  sourcePath: string;
  fileName: string;
  kind: string;
  record: LoadRecord;
  sizeBytes: number;
  sha256: string;
  sharedAcrossPractices: boolean;
  loader: FileLoader;
}

/** A file to load with its registry id, the loader to run and the time its registry row records. */
interface PreparedFile extends DescribedFile {
  fileId: bigint;
  load: FileLoader;
  loadedAt: DuckDBTimestampValue;
}

async function describeFile(request: LoadRequest, loader: FileLoader): Promise<DescribedFile> {
  const practiceId = practiceIdSchema.parse(request.practiceId);
  const filePath = path.resolve(request.filePath);
  const sourcePath = request.sourcePath ?? filePath;
  const fileName = path.basename(sourcePath);
  const record: LoadRecord = {
    practice_id: practiceId,
    kind: request.kind,
    ...(request.profile === undefined ? {} : { profile: request.profile }),
    source_path: sourcePath,
    original_name: fileName,
    // Load order decides which PM export is the latest (docs/inputs.md §4), so a re-load must keep it.
    archived_at: new Date().toISOString(),
    order: process.hrtime.bigint().toString(),
  };
  const sizeBytes = statSync(filePath).size;
  return {
    practiceId,
    filePath,
    sourcePath,
    fileName,
    kind: request.kind,
    record,
    sizeBytes,
    sha256: await sha256File(filePath),
    sharedAcrossPractices: request.sharedAcrossPractices === true,
    loader,
  };
}

/** A loaded file's registry id, practice and kind; a file of the batch being planned counts as loaded. */
interface LoadedCopy {
  fileId: bigint;
  practiceId: string;
  kind: string;
}

/**
 * Hashes the files and decides for each: skipped (the same content loaded before for its practice, or earlier in
 * these files), or a file id and the loader to run. Two registry queries serve all the files, however many: a
 * query per file cost more than loading a small file. Throws BatchFileRejected for a file that cannot be read.
 */
async function planFiles(
  connection: DuckDBConnection,
  requests: { request: LoadRequest; loader: FileLoader }[],
): Promise<(PreparedFile | LoadOutcome)[]> {
  const described: DescribedFile[] = [];
  for (const [index, { request, loader }] of requests.entries()) {
    try {
      described.push(await describeFile(request, loader));
    } catch (error) {
      throw new BatchFileRejected(index, error);
    }
  }
  const loaded = await loadedCopiesOf(
    connection,
    described.map((file) => file.sha256),
  );
  // Which files get an id, before asking for the ids: those whose content their practice has not loaded.
  const pending = new Map<DescribedFile, LoadedCopy>();
  const ours = new Map<DescribedFile, LoadedCopy>();
  for (const file of described) {
    const copies = copiesOf(loaded, file.sha256);
    const found = ownCopy(copies, file.practiceId);
    if (found !== undefined) {
      ours.set(file, found);
    } else {
      const copy = { fileId: 0n, practiceId: file.practiceId, kind: file.kind };
      pending.set(file, copy);
      copies.push(copy);
    }
  }
  const { ids, loadedAt } = await newFileIds(connection, pending.size);
  [...pending.values()].forEach((copy, i) => {
    copy.fileId = ids[i] as bigint;
  });
  return described.map((file): PreparedFile | LoadOutcome => {
    const skipped = ours.get(file);
    if (skipped !== undefined) return { status: 'skipped', fileId: skipped.fileId, sha256: file.sha256 };
    const fileId = (pending.get(file) as LoadedCopy).fileId;
    const first = copiesOf(loaded, file.sha256)[0] as LoadedCopy;
    // The same bytes dropped into another practice's folder would count the money twice: refuse them, visibly.
    const load: FileLoader =
      first.fileId === fileId || file.sharedAcrossPractices
        ? file.loader
        : async () => {
            throw new InputError({
              file: file.fileName,
              location: 'file',
              expected: `a file not already loaded for another practice`,
              found: `the same content loaded for practice ${first.practiceId} as file_id ${first.fileId}`,
            });
          };
    return { ...file, fileId, load, loadedAt };
  });
}

/** The skip rule: a file is loaded already when its own practice loaded the same content (the oldest copy). */
function ownCopy(copies: readonly LoadedCopy[], practiceId: string): LoadedCopy | undefined {
  return copies.find((copy) => copy.practiceId === practiceId);
}

/** The loaded files with these contents, by content hash, oldest first. */
async function loadedCopiesOf(
  connection: DuckDBConnection,
  shas: readonly string[],
): Promise<Map<string, LoadedCopy[]>> {
  const lookup = await preparedStatement(
    connection,
    `select sha256, file_id, practice_id, file_kind from raw.files
      where status = 'loaded' and sha256 in (select unnest($shas)) order by file_id`,
  );
  lookup.bind({ shas: listValue([...shas]) }, { shas: LIST(VARCHAR) });
  const loaded = new Map<string, LoadedCopy[]>();
  for (const [sha256, fileId, practiceId, kind] of (await lookup.runAndReadAll()).getRows()) {
    copiesOf(loaded, sha256 as string).push({
      fileId: fileId as bigint,
      practiceId: practiceId as string,
      kind: kind as string,
    });
  }
  return loaded;
}

/**
 * The files whose content their practice has already loaded, by index, with the outcome a load would give them
 * (skipped, with the file id of the loaded copy) and the kind that copy was loaded as. Writes no file and no
 * row of `raw`: an inbox kept whole from day to day is checked with one hash per file (remembered from the last
 * read while the file stays as it was; `settledNs` is how long it must have been left alone first) and a registry
 * query per 10,000 files, instead of going through batches whose preparation (staging CSV groups) runs before a
 * batch knows its files are loaded. A file that cannot be read is not listed: it goes to the batches as before,
 * whose planning reports it.
 */
export async function alreadyLoaded(
  connection: DuckDBConnection,
  files: readonly { practiceId: string; filePath: string }[],
  options: { settledNs?: bigint } = {},
): Promise<Map<number, { outcome: LoadOutcome; kind: string }>> {
  const found = new Map<number, { outcome: LoadOutcome; kind: string }>();
  // A file left as it was since a load last read it is not read again (inbox-file-hashes.ts).
  const hashes = await InboxFileHashes.open(
    connection,
    files.map((file) => file.filePath),
    options.settledNs,
  );
  const step = 10_000;
  for (let from = 0; from < files.length; from += step) {
    const hashed: { index: number; practiceId: string; sha256: string }[] = [];
    for (let index = from; index < Math.min(files.length, from + step); index++) {
      const file = files[index] as { practiceId: string; filePath: string };
      try {
        hashed.push({ index, practiceId: file.practiceId, sha256: await hashes.hash(file.filePath) });
      } catch {
        // unreadable: left to the batches, whose planning reports it
      }
    }
    if (hashed.length === 0) continue;
    const loaded = await loadedCopiesOf(
      connection,
      hashed.map((file) => file.sha256),
    );
    for (const file of hashed) {
      const copy = ownCopy(loaded.get(file.sha256) ?? [], file.practiceId);
      if (copy !== undefined) {
        found.set(file.index, {
          outcome: { status: 'skipped', fileId: copy.fileId, sha256: file.sha256 },
          kind: copy.kind,
        });
      }
    }
  }
  await hashes.save(connection);
  return found;
}

/** planFiles for one file: an unreadable file throws its own error, as there is no batch to name it in. */
async function planFile(
  connection: DuckDBConnection,
  request: LoadRequest,
  loader: FileLoader,
): Promise<PreparedFile | LoadOutcome> {
  try {
    return (await planFiles(connection, [{ request, loader }]))[0] as PreparedFile | LoadOutcome;
  } catch (error) {
    throw error instanceof BatchFileRejected ? error.reason : error;
  }
}

function copiesOf(loaded: Map<string, LoadedCopy[]>, sha256: string): LoadedCopy[] {
  let copies = loaded.get(sha256);
  if (copies === undefined) {
    copies = [];
    loaded.set(sha256, copies);
  }
  return copies;
}

/**
 * `count` new file ids, in order, and the time the registry rows record (the transaction's start). A batch that
 * rolls back does not give its ids back (DuckDB's sequences are not transactional): ids stay unique, with gaps.
 */
async function newFileIds(
  connection: DuckDBConnection,
  count: number,
): Promise<{ ids: bigint[]; loadedAt: DuckDBTimestampValue }> {
  const statement = await preparedStatement(
    connection,
    "select current_timestamp::timestamp, (select list(nextval('raw.file_id_seq')) from range($count))",
  );
  statement.bind({ count: BigInt(count) }, { count: BIGINT });
  const [loadedAt, ids] = (await statement.runAndReadAll()).getRows()[0] as [
    DuckDBTimestampValue,
    DuckDBListValue | null,
  ];
  const sorted = ((ids?.items ?? []) as bigint[]).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ids: sorted, loadedAt };
}

/**
 * Runs the loader and writes the registry row and warnings, inside the caller's transaction; the raw rows stay in
 * the transaction's appenders until the caller flushes them, before its commit.
 */
async function writeFile(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  file: PreparedFile,
  appenders: TransactionAppenders,
  index: number,
): Promise<LoadOutcome> {
  const appender = (table: string) => appenders.get(table);
  const { fileId, practiceId, filePath, fileName } = file;
  const tableWriter = (table: RawTable) => appenders.writer(table, practiceId, fileId);
  const result = await file.load({
    connection,
    fileId,
    practiceId,
    filePath,
    fileName,
    appender,
    tableWriter,
    holdKey: (key) => {
      const earlier = appenders.heldKeys.get(key);
      if (earlier === undefined) appenders.heldKeys.set(key, { fileId, fileName });
      return earlier === undefined || earlier.fileId === fileId ? null : earlier.fileName;
    },
    once: <T>(key: string, compute: () => Promise<T>): Promise<T> => {
      let result = appenders.shared.get(key);
      if (result === undefined) {
        result = compute();
        appenders.shared.set(key, result);
      }
      return result as Promise<T>;
    },
  });
  appenders.bufferedRows += result.rowCount;
  const dir = archiveDir(paths, file.sha256);
  appenders.copies.add(index, dir, () => keepCopyAsync(dir, file.filePath, file.record));
  const stored = copyTarget(dir, file.record);
  // Appended like the raw rows (an insert per file cost milliseconds): it reaches the table at the same flush.
  appendRegistryRow(await appender('files'), file.loadedAt, {
    fileId,
    practiceId,
    kind: file.kind,
    status: 'loaded',
    sha256: file.sha256,
    fileName,
    filePath: file.sourcePath,
    stored,
    sizeBytes: file.sizeBytes,
    rowCount: result.rowCount,
    warningCount: result.warnings.length,
  });
  if (result.warnings.length > 0) {
    insertWarnings(await appender('file_warnings'), fileId, practiceId, result.warnings);
  }
  return {
    status: 'loaded',
    fileId,
    sha256: file.sha256,
    rowCount: result.rowCount,
    warnings: result.warnings,
  };
}

/** After the rollback: the quarantine copy, its report and the registry row (autocommitted). */
async function quarantine(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  file: PreparedFile,
  error: unknown,
): Promise<LoadOutcome> {
  const { sha256 } = file;
  const location = isInputError(error) ? error.location : 'file';
  const message = isInputError(error)
    ? `expected ${error.expected}, found ${error.found}`
    : `could not be loaded: ${(error as Error).message}`;
  // The same bytes failing the same way again change nothing: no second registry row.
  const same = await connection.runAndReadAll(
    `select file_id from raw.files where sha256 = $sha and status = 'quarantined'
       and error_location = $location and error_message = $message`,
    { sha: sha256, location, message },
  );
  const sameId = same.getRows()[0]?.[0];
  if (sameId !== undefined)
    return { status: 'quarantined', fileId: sameId as bigint, sha256, location, message };
  const stored = quarantineCopy(paths, sha256, file.filePath, file.record, { location, message });
  await insertRegistryRow(connection, {
    fileId: file.fileId,
    practiceId: file.practiceId,
    kind: file.kind,
    status: 'quarantined',
    sha256,
    fileName: file.fileName,
    filePath: file.sourcePath,
    stored,
    sizeBytes: file.sizeBytes,
    rowCount: null,
    warningCount: 0,
    errorLocation: location,
    errorMessage: message,
  });
  return { status: 'quarantined', fileId: file.fileId, sha256, location, message };
}

/**
 * Closes appenders without writing what they still buffer. Closing an appender flushes it, and when that flush
 * fails (a row the table rejects) DuckDB keeps the rows and tries again when the appender is garbage-collected:
 * into whatever transaction its connection has open then, which the failure aborts. So each is left in the
 * middle of a row first: DuckDB never flushes an appender with an unfinished row, on close or when collected.
 */
function discardAppenders(appenders: DuckDBAppender[]): void {
  for (const open of appenders.splice(0)) {
    try {
      open.appendNull();
    } catch {
      // Already closed, with nothing buffered.
    }
    try {
      open.closeSync();
    } catch {
      // Nothing is flushed from an unfinished row.
    }
  }
}

/**
 * Archive copies are content-addressed, so a copy left by a rolled-back load is harmless and reused (and a
 * recovery re-loads it: the file was meant to be loaded).
 */
function archiveDir(paths: WarehousePaths, sha256: string): string {
  return path.join(paths.archiveDir, sha256.slice(0, 2), sha256);
}

/** Where keepCopy puts the copy. */
function copyTarget(dir: string, record: LoadRecord): string {
  return path.join(dir, record.original_name);
}

function quarantineCopy(
  paths: WarehousePaths,
  sha256: string,
  filePath: string,
  record: LoadRecord,
  report: { location: string; message: string },
): string {
  const dir = path.join(paths.quarantineDir, sha256);
  const target = keepCopy(dir, filePath, record);
  writeFileSync(
    path.join(dir, 'error.json'),
    `${JSON.stringify({ file: record.source_path, sha256, ...report, kind: record.kind }, null, 2)}\n`,
    { mode: 0o600 },
  );
  return target;
}

/** Copies the file into `dir` beside its load record; a file already there (a re-load of the copy) stays as is. */
function keepCopy(dir: string, filePath: string, record: LoadRecord): string {
  // Owner-only: the copies hold patient data, and a copy keeps its source's mode unless told otherwise.
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = copyTarget(dir, record);
  if (path.resolve(target) !== filePath) copyFileSync(filePath, target);
  chmodSync(target, 0o600);
  // Written beside and renamed over: a kill mid-write leaves the previous record or none, never a torn one.
  const recordPath = path.join(dir, loadRecordFileFor(dir, record.practice_id));
  writeFileSync(`${recordPath}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  renameSync(`${recordPath}.tmp`, recordPath);
  return target;
}

/** keepCopy off the main thread; a file system that can clone files (reflink) shares their blocks. */
async function keepCopyAsync(dir: string, filePath: string, record: LoadRecord): Promise<void> {
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const target = copyTarget(dir, record);
  if (path.resolve(target) !== filePath) await copyFile(filePath, target, constants.COPYFILE_FICLONE);
  await chmod(target, 0o600);
  const recordPath = path.join(dir, await loadRecordFileForAsync(dir, record.practice_id));
  await writeFileAsync(`${recordPath}.tmp`, `${JSON.stringify(record, null, 2)}\n`, { mode: 0o600 });
  await rename(`${recordPath}.tmp`, recordPath);
}

interface RegistryRow {
  fileId: bigint;
  practiceId: string;
  kind: string;
  status: 'loaded' | 'quarantined';
  sha256: string;
  fileName: string;
  filePath: string;
  stored: string;
  sizeBytes: number;
  rowCount: number | null;
  warningCount: number;
  errorLocation?: string;
  errorMessage?: string;
}

async function insertRegistryRow(connection: DuckDBConnection, row: RegistryRow): Promise<void> {
  const insert = await preparedStatement(
    connection,
    `insert into raw.files values
      ($file_id, $practice_id, $kind, $status, $sha256, $name, $source, $stored, $size, $rows, $warnings,
       $error_location, $error_message, current_timestamp)`,
  );
  insert.bind(
    {
      file_id: row.fileId,
      practice_id: row.practiceId,
      kind: row.kind,
      status: row.status,
      sha256: row.sha256,
      name: row.fileName,
      source: row.filePath,
      stored: row.stored,
      size: BigInt(row.sizeBytes),
      rows: row.rowCount === null ? null : BigInt(row.rowCount),
      warnings: row.warningCount,
      error_location: row.errorLocation ?? null,
      error_message: row.errorMessage ?? null,
    },
    {
      file_id: BIGINT,
      practice_id: VARCHAR,
      kind: VARCHAR,
      status: VARCHAR,
      sha256: VARCHAR,
      name: VARCHAR,
      source: VARCHAR,
      stored: VARCHAR,
      size: BIGINT,
      rows: BIGINT,
      warnings: INTEGER,
      error_location: VARCHAR,
      error_message: VARCHAR,
    },
  );
  await insert.run();
}

/** The registry row of a loaded file, in raw.files' column order. */
function appendRegistryRow(appender: DuckDBAppender, loadedAt: DuckDBTimestampValue, row: RegistryRow): void {
  appender.appendBigInt(row.fileId);
  appender.appendVarchar(row.practiceId);
  appender.appendVarchar(row.kind);
  appender.appendVarchar(row.status);
  appender.appendVarchar(row.sha256);
  appender.appendVarchar(row.fileName);
  appender.appendVarchar(row.filePath);
  appender.appendVarchar(row.stored);
  appender.appendBigInt(BigInt(row.sizeBytes));
  if (row.rowCount === null) appender.appendNull();
  else appender.appendBigInt(BigInt(row.rowCount));
  appender.appendInteger(row.warningCount);
  for (const text of [row.errorLocation, row.errorMessage]) {
    if (text === undefined) appender.appendNull();
    else appender.appendVarchar(text);
  }
  appender.appendTimestamp(loadedAt);
  appender.endRow();
}

function insertWarnings(
  appender: DuckDBAppender,
  fileId: bigint,
  practiceId: string,
  warnings: FileWarning[],
): void {
  for (const warning of warnings) {
    appender.appendBigInt(fileId);
    appender.appendVarchar(practiceId);
    appender.appendVarchar(warning.location);
    appender.appendVarchar(warning.code);
    appender.appendVarchar(warning.message);
    appender.endRow();
  }
}
