import { existsSync, mkdirSync, readdirSync, renameSync } from 'node:fs';
import path from 'node:path';
import type { WarehousePaths } from '../config.ts';
import { openWarehouse, WalReplayError } from '../warehouse/connection.ts';
import { isLoadRecordFile, type LoadRecord, readLoadRecord } from '../warehouse/load-file.ts';
import { type InboxOutcome, loadInboxFiles } from './inbox.ts';

export interface RecoveryReport {
  /** Where the unreplayable write-ahead log was moved, or null when the warehouse opened as it was. */
  walSetAside: string | null;
  /** Copies from the archive and quarantine that the registry lacked, loaded again in their original order. */
  reloaded: InboxOutcome[];
  /** Kept copies without a load record (made before records were kept): load their inbox again by hand. */
  unrecorded: string[];
}

/**
 * Brings a warehouse back after a crash left a write-ahead log DuckDB cannot replay: the log is set aside
 * (kept, never deleted, beside the warehouse in `recovery/`), the warehouse opens at its last checkpoint, and
 * every archived or quarantined copy whose content the registry does not know is loaded again, oldest first.
 * Loading is idempotent, so nothing is doubled; on a warehouse that opens, it only re-loads what is missing.
 */
export async function recoverWarehouse(
  paths: WarehousePaths,
  options: { memoryLimit?: string; now?: Date } = {},
): Promise<RecoveryReport> {
  let walSetAside: string | null = null;
  try {
    (await openWarehouse(paths.database, options)).close();
  } catch (error) {
    if (!(error instanceof WalReplayError)) throw error;
    walSetAside = setWalAside(paths, options.now ?? new Date());
  }
  const warehouse = await openWarehouse(paths.database, options);
  try {
    // per practice: a shared reference file is kept once and recorded for each practice that loaded it
    const known = new Set(
      (await warehouse.connection.runAndReadAll('select distinct sha256, practice_id from raw.files'))
        .getRows()
        .map(([sha, practice]) => `${sha}/${practice}`),
    );
    const { kept, unrecorded } = keptCopies(paths);
    const missing = kept.filter((copy) => !known.has(`${copy.sha256}/${copy.record.practice_id}`));
    const reloaded: InboxOutcome[] = [];
    // Files loaded with a forced mapping profile are read with it again; the others are detected as before.
    for (const copy of missing) {
      const file = {
        filePath: copy.copyPath,
        practiceId: copy.record.practice_id,
        sourcePath: copy.record.source_path,
      };
      const profile = copy.record.profile;
      reloaded.push(
        ...(await loadInboxFiles(
          warehouse.connection,
          paths,
          [file],
          profile === undefined ? {} : { profile },
        )),
      );
    }
    return { walSetAside, reloaded, unrecorded };
  } finally {
    warehouse.close();
  }
}

function setWalAside(paths: WarehousePaths, now: Date): string {
  const wal = `${paths.database}.wal`;
  const dir = path.join(path.dirname(paths.database), 'recovery');
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const target = path.join(dir, `${path.basename(wal)}.${now.toISOString().replace(/[:.]/g, '-')}`);
  renameSync(wal, target);
  return target;
}

interface KeptCopy {
  sha256: string;
  copyPath: string;
  record: LoadRecord;
}

/** Every archived and quarantined copy with its load record, in the order the copies were made. */
function keptCopies(paths: WarehousePaths): { kept: KeptCopy[]; unrecorded: string[] } {
  const dirs: string[] = [];
  if (existsSync(paths.archiveDir)) {
    for (const prefix of readdirSync(paths.archiveDir)) {
      const prefixDir = path.join(paths.archiveDir, prefix);
      for (const sha of readdirSync(prefixDir)) dirs.push(path.join(prefixDir, sha));
    }
  }
  if (existsSync(paths.quarantineDir)) {
    for (const sha of readdirSync(paths.quarantineDir)) dirs.push(path.join(paths.quarantineDir, sha));
  }
  const kept: KeptCopy[] = [];
  const unrecorded: string[] = [];
  for (const dir of dirs) {
    const records = readdirSync(dir).filter(isLoadRecordFile);
    if (records.length === 0) {
      unrecorded.push(dir);
      continue;
    }
    for (const name of records) {
      // a record that cannot be read (torn by a kill in an older version) is reported, not trusted
      const record = readLoadRecord(path.join(dir, name));
      if (record === null) unrecorded.push(path.join(dir, name));
      else kept.push({ sha256: path.basename(dir), copyPath: path.join(dir, record.original_name), record });
    }
  }
  kept.sort(
    (a, b) =>
      a.record.archived_at.localeCompare(b.record.archived_at) ||
      Number(BigInt(a.record.order) - BigInt(b.record.order)),
  );
  return { kept, unrecorded };
}
