import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import { openWarehouse, openWarehouseReadOnly } from './connection.ts';
import { type Fingerprint, fingerprint } from './fingerprint.ts';

/** Where backups go unless another folder is named: `backups/` beside the warehouse, owner-only. */
export function defaultBackupDir(database: string): string {
  return path.join(path.dirname(database), 'backups');
}

function stamp(now: Date): string {
  return now.toISOString().replace(/[:.]/g, '-');
}

/**
 * A consistent copy of the warehouse: the file is opened, checkpointed (so the log is empty and the main file
 * holds everything) and closed, then copied, and the copy is opened and compared with the original, row for
 * row (raw rows per file, registry, every mart), before it is reported as made. The caller holds the run lock,
 * so no run writes meanwhile. The archive folder is not copied: it only grows, and ordinary file backups keep it.
 */
export async function backupWarehouse(
  database: string,
  options: { dir?: string; now?: Date } = {},
): Promise<{ file: string; fingerprint: Fingerprint }> {
  const warehouse = await openWarehouse(database);
  let before: Fingerprint;
  try {
    before = await fingerprint(warehouse.connection);
    await warehouse.connection.run('checkpoint');
  } finally {
    warehouse.close();
  }
  const dir = options.dir ?? defaultBackupDir(database);
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const file = path.join(
    dir,
    `${path.basename(database, '.duckdb')}-${stamp(options.now ?? new Date())}.duckdb`,
  );
  copyFileSync(database, file);
  chmodSync(file, 0o600);
  const copy = await fingerprintOfCopy(file);
  if (!sameFingerprint(before, copy))
    throw new Error(`the backup ${file} does not match the warehouse: not usable`);
  return { file, fingerprint: copy };
}

/**
 * Puts a backup in the warehouse's place. The backup is checked first (it must open and hold a registry); the
 * warehouse it replaces is kept beside the backups as `replaced-…`, never deleted. Files loaded after the backup
 * was made are still in the archive: `rcm recover` loads them again.
 */
export async function restoreWarehouse(
  database: string,
  backupFile: string,
  options: { now?: Date } = {},
): Promise<{ replacedBy: string; keptAs: string | null; fingerprint: Fingerprint }> {
  const expected = await fingerprintOfCopy(backupFile);
  let keptAs: string | null = null;
  if (existsSync(database)) {
    const dir = defaultBackupDir(database);
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    keptAs = path.join(dir, `replaced-${stamp(options.now ?? new Date())}.duckdb`);
    renameSync(database, keptAs);
    if (existsSync(`${database}.wal`)) renameSync(`${database}.wal`, `${keptAs}.wal`);
  }
  copyFileSync(backupFile, database);
  chmodSync(database, 0o600);
  const warehouse = await openWarehouse(database);
  try {
    const restored = await fingerprint(warehouse.connection);
    if (!sameFingerprint(expected, restored))
      throw new Error(`the restored warehouse does not match ${backupFile}`);
    return { replacedBy: backupFile, keptAs, fingerprint: restored };
  } finally {
    warehouse.close();
  }
}

async function fingerprintOfCopy(file: string): Promise<Fingerprint> {
  const copy = await openWarehouseReadOnly(file);
  try {
    return await fingerprint(copy.connection);
  } finally {
    copy.close();
  }
}

export function sameFingerprint(a: Fingerprint, b: Fingerprint): boolean {
  const canonical = (f: Fingerprint) =>
    JSON.stringify([f.registry, Object.entries(f.rows).sort(), f.orphanRows, Object.entries(f.marts).sort()]);
  return canonical(a) === canonical(b);
}
