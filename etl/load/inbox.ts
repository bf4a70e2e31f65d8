import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WarehousePaths } from '../config.ts';
import { InputError } from '../input-error.ts';
import { CANONICAL } from '../pm/canonical.ts';
import { CSV_KINDS } from '../pm/csv-kind.ts';
import { loadProfiles, type Profile } from '../pm/profile.ts';
import { type FileLoader, type LoadOutcome, loadFile, practiceIdSchema } from '../warehouse/load-file.ts';
import { createCsvLoader } from './csv-loader.ts';
import { detectKind, type FileKind } from './detect-kind.ts';
import { loaders } from './loaders.ts';

export interface InboxFile {
  filePath: string;
  practiceId: string;
  /** Where the file was first found, when `filePath` is a copy of it (a re-load from the archive). */
  sourcePath?: string;
}

export type InboxOutcome = InboxFile & { kind: string } & LoadOutcome;

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
  const outcomes: InboxOutcome[] = [];
  for (const file of files) {
    let kind: string = detectKind(file.filePath);
    let loader = loaders[kind as FileKind] ?? refuseUnknownFile;
    let profile: string | undefined;
    // A named profile reads every CSV file, whatever its header would have chosen; X12 and unreadable files
    // keep their own loader (or refusal).
    if (forced !== null && CSV_FILE_KINDS.has(kind)) {
      kind = forced.kind;
      loader = forced.loader;
      profile = options.profile;
    }
    const request = { ...file, kind, ...(profile === undefined ? {} : { profile }) };
    const outcome = await loadFile(connection, paths, request, loader);
    outcomes.push({ ...file, kind, ...outcome });
    options.onFileDone?.(outcomes.length, files.length, file.filePath);
  }
  return outcomes;
}

export interface InboxOptions {
  /** Read every CSV file with this mapping profile ('ledger/charges'), not the one its header fits best. */
  profile?: string;
  /** The profiles to choose from (default: every profile in the profile folders). */
  profiles?: Profile[];
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
    expected: 'an X12 file (835, 277CA, 999) or a CSV export with a header line',
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
