import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import { loadBatchFiles, loadMemoryLimit, type WarehousePaths } from '../config.ts';
import { InputError } from '../input-error.ts';
import { CANONICAL } from '../pm/canonical.ts';
import { CSV_KINDS, SHARED_CSV_KINDS } from '../pm/csv-kind.ts';
import { loadProfiles, type Profile } from '../pm/profile.ts';
import {
  alreadyLoaded,
  type BatchFile,
  BatchFileRejected,
  BatchFlushFailed,
  batchFileOf,
  type FileLoader,
  type LoadOutcome,
  type LoadRequest,
  loadFile,
  loadFilesInTransaction,
  practiceIdSchema,
} from '../warehouse/load-file.ts';
import { rollbackIfOpen } from '../warehouse/transaction.ts';
import { settingsForBigFiles } from './big-file-settings.ts';
import { createCsvLoader } from './csv-loader.ts';
import { detectKind, type FileKind } from './detect-kind.ts';
import { loaders } from './loaders.ts';
import { loadX12 } from './x12-loader.ts';

export interface InboxFile {
  filePath: string;
  practiceId: string;
  /** Where the file was first found, when `filePath` is a copy of it (a re-load from the archive). */
  sourcePath?: string;
}

export type InboxOutcome = InboxFile & { kind: string } & (LoadOutcome | UnreadableFile);

/**
 * A file whose bytes could not be read (permissions, a file gone since the listing): it cannot be hashed, archived
 * or recorded, so it is reported, the other files load, and the next load tries it again.
 */
export interface UnreadableFile {
  status: 'unreadable';
  message: string;
}

/**
 * Lists an inbox: one folder per practice (`<inbox>/<practice_id>/…`), files at any depth below it,
 * in a stable order so every run loads the same files in the same order.
 */
export function listInbox(inboxDir: string): InboxFile[] {
  const files: InboxFile[] = [];
  for (const entry of readdirSync(inboxDir, { withFileTypes: true }).sort(byName)) {
    if (!entry.isDirectory()) continue;
    const practiceId = practiceIdSchema.parse(entry.name);
    for (const filePath of walk(path.join(inboxDir, entry.name))) files.push({ filePath, practiceId });
  }
  return files;
}

/**
 * Loads each file with the loader for its kind; one bad file never stops the others. A file of no kind the
 * warehouse reads is quarantined like any other bad input, so it is reported rather than silently left behind.
 */
export async function loadInboxFiles(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  files: InboxFile[],
  options: InboxOptions = {},
): Promise<InboxOutcome[]> {
  const forced = options.profile === undefined ? null : forcedProfile(options.profile, options.profiles);
  // Files whose content their practice already loaded are settled first, read-only and without a batch, with
  // the kind they were loaded as: an inbox that keeps its history is mostly such files, and telling each one's
  // kind would read its head again (inbox-file-hashes.ts spares reading the rest). The others are loaded in
  // batches, in file order.
  const loaded = await alreadyLoaded(connection, files);
  const unreadable = new Map<number, UnreadableFile>();
  // A settled file needs no request or loader: it is not loaded.
  type Planned = {
    index: number;
    file: InboxFile;
    kind: string;
    request: LoadRequest | null;
    loader: FileLoader | null;
  };
  const planned = files.map((file, index): Planned => {
    const settled = loaded.get(index);
    if (settled !== undefined) {
      return { index, file, kind: settled.kind, request: null, loader: null };
    }
    let kind = 'unknown';
    try {
      kind = detectKind(file.filePath);
    } catch (error) {
      if (!isFileSystemError(error)) throw error;
      unreadable.set(index, { status: 'unreadable', message: error.message });
    }
    let loader = loaders[kind as FileKind] ?? refuseUnknownFile;
    let profile: string | undefined;
    // A named profile reads every CSV file, whatever its header would have chosen; X12 and unreadable files
    // keep their own loader (or refusal).
    if (forced !== null && CSV_FILE_KINDS.has(kind)) {
      kind = forced.kind;
      loader = forced.loader;
      profile = options.profile;
    }
    const request = {
      ...file,
      kind,
      ...(profile === undefined ? {} : { profile }),
      ...(SHARED_CSV_KINDS.has(kind) ? { sharedAcrossPractices: true } : {}),
    };
    return { index, file, kind, request, loader };
  });
  // Outcomes in the files' order, however they were settled.
  const outcomes = new Array<InboxOutcome>(files.length);
  let settledCount = 0;
  const settle = (index: number, outcome: LoadOutcome | UnreadableFile) => {
    const { file, kind } = planned[index] as (typeof planned)[number];
    outcomes[index] = { ...file, kind, ...outcome };
    settledCount++;
    options.onFileDone?.(settledCount, files.length, file.filePath);
  };
  for (const [index, outcome] of unreadable) settle(index, outcome);
  for (const [index, { outcome }] of loaded) settle(index, outcome);
  const toLoad = planned.flatMap(({ index, file, kind, request, loader }) =>
    request === null || loader === null || unreadable.has(index)
      ? []
      : [{ index, file, kind, request, loader }],
  );
  const done = (slice: typeof toLoad, results: (LoadOutcome | UnreadableFile)[]) => {
    results.forEach((outcome, i) => {
      settle((slice[i] as (typeof toLoad)[number]).index, outcome);
    });
  };
  let next = 0;
  while (next < toLoad.length) {
    const batch = takeBatch(toLoad, next, options.batch ?? { files: loadBatchFiles(), bytes: BATCH_BYTES });
    const loadedAt = await loadBatch(connection, paths, batch);
    done(batch.slice(0, loadedAt.committed), loadedAt.outcomes);
    if (loadedAt.committed < batch.length) {
      // The rejected file on its own: rolled back and quarantined like any single file.
      const rejected = batch[loadedAt.committed] as (typeof toLoad)[number];
      done([rejected], [await loadAlone(connection, paths, rejected)]);
    }
    next += Math.min(batch.length, loadedAt.committed + 1);
  }
  return outcomes;
}

/** loadFile, with a file that cannot be read reported as such instead of ending the whole load. */
async function loadAlone(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  { request, loader }: { request: LoadRequest; loader: FileLoader },
): Promise<LoadOutcome | UnreadableFile> {
  const restoreSettings = await bigFileSettings(connection, [{ request, loader }]);
  try {
    return await loadFile(connection, paths, request, loader);
  } catch (error) {
    if (isFileSystemError(error)) return { status: 'unreadable', message: error.message };
    throw error;
  } finally {
    await restoreSettings();
  }
}

/** Before a transaction: DuckDB's settings for its big X12 files, if it holds one (big-file-settings.ts). */
function bigFileSettings(
  connection: DuckDBConnection,
  files: { request: LoadRequest; loader: FileLoader }[],
): Promise<() => Promise<void>> {
  const x12 = files.filter(({ loader }) => loader === loadX12).map(({ request }) => request.filePath);
  return settingsForBigFiles(connection, x12, loadMemoryLimit());
}

/** Node's file system errors carry a code and the call that failed; the warehouse's do not, and still stop a load. */
function isFileSystemError(error: unknown): error is NodeJS.ErrnoException {
  return (
    error instanceof Error && typeof (error as NodeJS.ErrnoException).code === 'string' && 'syscall' in error
  );
}

/** How many files, and how many bytes of them, one transaction may hold. */
export interface BatchLimits {
  files: number;
  bytes: number;
}

/** Bytes of files per commit (the number of files is `loadBatchFiles`): a batch of large exports fits in memory. */
const BATCH_BYTES = 32 * 1024 * 1024;

function takeBatch<T extends { file: InboxFile }>(planned: T[], from: number, limits: BatchLimits): T[] {
  let bytes = 0;
  let end = from;
  while (end < planned.length && end - from < limits.files) {
    bytes += fileSize((planned[end] as T).file.filePath);
    if (end > from && bytes > limits.bytes) break;
    end++;
  }
  return planned.slice(from, end);
}

function fileSize(filePath: string): number {
  try {
    return statSync(filePath).size;
  } catch {
    return 0; // a file that vanished is reported by its own load
  }
}

/**
 * Loads a batch in one transaction. When a file is rejected the batch is rolled back and the files before it are
 * loaded again as a batch; the result says how many files from the start were committed (the caller loads the
 * next one alone, where its failure, if any, is its own).
 */
async function loadBatch(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  batch: { request: LoadRequest; loader: FileLoader }[],
): Promise<{ committed: number; outcomes: LoadOutcome[] }> {
  const cleanups = await prepareBatch(connection, batch);
  try {
    cleanups.push(await bigFileSettings(connection, batch));
    let upTo = batch.length;
    for (;;) {
      if (upTo === 0) return { committed: 0, outcomes: [] };
      await connection.run('begin transaction');
      try {
        const outcomes = await loadFilesInTransaction(connection, paths, batch.slice(0, upTo));
        await connection.run('commit');
        return { committed: upTo, outcomes };
      } catch (error) {
        await rollbackIfOpen(connection);
        if (error instanceof BatchFileRejected) upTo = error.index;
        // no file to name: halve the batch until the files left to load alone are tried one by one
        else if (error instanceof BatchFlushFailed) upTo = Math.floor(upTo / 2);
        else throw error;
      }
    }
  } finally {
    for (const cleanup of cleanups) await cleanup();
  }
}

/** Runs each loader's batch preparation on its files of the batch (see FileLoader.prepareBatch). */
async function prepareBatch(
  connection: DuckDBConnection,
  batch: { request: LoadRequest; loader: FileLoader }[],
): Promise<(() => Promise<void>)[]> {
  const byLoader = new Map<FileLoader, BatchFile[]>();
  for (const { request, loader } of batch) {
    if (loader.prepareBatch === undefined) continue;
    const files = byLoader.get(loader) ?? [];
    files.push(batchFileOf(request));
    byLoader.set(loader, files);
  }
  const cleanups: (() => Promise<void>)[] = [];
  for (const [loader, files] of byLoader) {
    cleanups.push(await (loader.prepareBatch as NonNullable<FileLoader['prepareBatch']>)(connection, files));
  }
  return cleanups;
}

export interface InboxOptions {
  /** Read every CSV file with this mapping profile ('ledger/charges'), not the one its header fits best. */
  profile?: string;
  /** The profiles to choose from (default: every profile in the profile folders). */
  profiles?: Profile[];
  /** Files per transaction (default 400 files or 32 MiB); `{ files: 1, bytes: 0 }` commits each file alone. */
  batch?: BatchLimits;
  /** Called after each file, loaded or not: for a progress line. */
  onFileDone?: (done: number, total: number, filePath: string) => void;
}

const CSV_FILE_KINDS = new Set<string>(['csv', ...CSV_KINDS]);

/** The loader and file kind of a named profile; an unknown name is refused before any file is read. */
function forcedProfile(
  id: string,
  profiles: Profile[] = loadProfiles(),
): { kind: string; loader: FileLoader } {
  const profile = profiles.find((p) => p.id === id);
  if (!profile) {
    throw new Error(`no mapping profile ${id}; known: ${profiles.map((p) => p.id).join(', ')}`);
  }
  return { kind: CANONICAL[profile.entity].kind, loader: createCsvLoader({ profile: id, profiles }) };
}

const refuseUnknownFile: FileLoader = async ({ fileName }) => {
  throw new InputError({
    file: fileName,
    location: 'byte 0',
    expected: 'an X12 file (835, 837P, 277CA, 999) or a CSV export with a header line',
    found: 'neither',
  });
};

function walk(dir: string): string[] {
  const found: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort(byName)) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) found.push(...walk(full));
    else if (entry.isFile() && !entry.name.startsWith('.')) found.push(full);
  }
  return found;
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
