import { readdirSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WarehousePaths } from '../config.ts';
import { InputError } from '../warehouse/errors.ts';
import { type FileLoader, type LoadOutcome, loadFile, practiceIdSchema } from '../warehouse/load-file.ts';
import { detectKind } from './detect-kind.ts';
import { loaders } from './loaders.ts';

export interface InboxFile {
  filePath: string;
  practiceId: string;
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
): Promise<InboxOutcome[]> {
  const outcomes: InboxOutcome[] = [];
  for (const file of files) {
    const kind = detectKind(file.filePath);
    const loader = loaders[kind] ?? refuseUnknownFile;
    const outcome = await loadFile(connection, paths, { ...file, kind }, loader);
    outcomes.push({ ...file, kind, ...outcome });
  }
  return outcomes;
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
