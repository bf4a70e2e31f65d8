import { statSync } from 'node:fs';
import path from 'node:path';
import { type DuckDBConnection, LIST, listValue, VARCHAR } from '@duckdb/node-api';
import { sha256File } from './file-hash.ts';
import { rollbackIfOpen } from './transaction.ts';

/**
 * A file's content hash, remembered by what the file system says of the file (load_state.inbox_file_hashes,
 * migration 0020), so that a daily load of an inbox that keeps its history does not read every old file again
 * to find it already loaded: at 50 practices that was 3.4 GB read and hashed each day. The same test git applies
 * to its index: device, inode, size, modification and change time all unchanged. A write always moves the change
 * time, and no tool can set it back.
 */

/** What the file system says of a file, to nanoseconds. */
interface FileStamp {
  device: bigint;
  inode: bigint;
  size: bigint;
  mtimeNs: bigint;
  ctimeNs: bigint;
}

interface Remembered {
  stamp: FileStamp;
  sha256: string;
}

/**
 * How long a file must have been left alone before its hash is remembered. Timestamps are coarser than a write
 * (a few milliseconds on ext4, seconds elsewhere), so a file rewritten just after it was read, at the same size,
 * could keep its stamp; and a network share's clock may run behind. A file changed within this window is hashed
 * again next time, and remembered then.
 */
const SETTLED_NS = 60_000_000_000n;

function fileStamp(filePath: string): FileStamp {
  const stat = statSync(filePath, { bigint: true });
  return {
    device: stat.dev,
    inode: stat.ino,
    size: stat.size,
    mtimeNs: stat.mtimeNs,
    ctimeNs: stat.ctimeNs,
  };
}

/**
 * The stamp as one string: two stamps are the same when their texts are, and the remembered hashes are kept in
 * memory in this form (a few MB per 10,000 files; `open` builds the same text in SQL).
 */
function stampText(stamp: FileStamp): string {
  return `${stamp.device}:${stamp.inode}:${stamp.size}:${stamp.mtimeNs}:${stamp.ctimeNs}`;
}

/**
 * Hashes files through the remembered hashes: `hash` answers from them when a file's stamp is the one recorded,
 * else reads the file; `save` records what was read, in a transaction of its own.
 */
export class InboxFileHashes {
  private readonly fresh = new Map<string, Remembered>();

  /** By absolute path: the stamp as stampText gives it, a space and the hash. */
  private constructor(
    private readonly known: Map<string, string>,
    private readonly settledNs: bigint,
  ) {}

  /**
   * Reads the remembered hashes of the files about to be hashed: only theirs, so what is held stays the size of the
   * inbox listed, not of every file ever hashed (an inbox whose files move to new folders leaves a row per old path).
   */
  static async open(
    connection: DuckDBConnection,
    filePaths: readonly string[],
    settledNs: bigint = SETTLED_NS,
  ): Promise<InboxFileHashes> {
    const known = new Map<string, string>();
    const step = 10_000;
    for (let from = 0; from < filePaths.length; from += step) {
      const paths = filePaths.slice(from, from + step).map((filePath) => path.resolve(filePath));
      const rows = (
        await connection.runAndReadAll(
          `select file_path, concat_ws(':', device, inode, size, mtime_ns, ctime_ns) || ' ' || sha256
             from load_state.inbox_file_hashes
             where file_path in (select unnest($paths))`,
          { paths: listValue(paths) },
          { paths: LIST(VARCHAR) },
        )
      ).getRows();
      for (const [filePath, remembered] of rows) known.set(filePath as string, remembered as string);
    }
    return new InboxFileHashes(known, settledNs);
  }

  /** The SHA-256 of the file's bytes. Throws a file-system error when it cannot be read (or stat'ed). */
  async hash(filePath: string): Promise<string> {
    const key = path.resolve(filePath);
    const before = fileStamp(key);
    const known = this.known.get(key);
    const stamp = stampText(before);
    // "<stamp> <64 hex digits>": the same length and start means the same stamp.
    if (known !== undefined && known.length === stamp.length + 65 && known.startsWith(stamp)) {
      return known.slice(stamp.length + 1);
    }
    const readAt = BigInt(Date.now()) * 1_000_000n;
    const sha256 = await sha256File(key);
    const after = fileStamp(key);
    // Remembered only when nothing changed while it was read, and it had been left alone long enough before.
    const settledBy = readAt - this.settledNs;
    if (stampText(after) === stamp && after.mtimeNs <= settledBy && after.ctimeNs <= settledBy) {
      this.fresh.set(key, { stamp: after, sha256 });
    }
    return sha256;
  }

  /** Records the hashes read since open, replacing what was remembered for those paths. */
  async save(connection: DuckDBConnection): Promise<void> {
    if (this.fresh.size === 0) return;
    const entries = [...this.fresh];
    await connection.run('begin transaction');
    try {
      await connection.run(
        'delete from load_state.inbox_file_hashes where file_path in (select unnest($paths))',
        { paths: listValue(entries.map(([filePath]) => filePath)) },
        { paths: LIST(VARCHAR) },
      );
      const appender = await connection.createAppender('inbox_file_hashes', 'load_state');
      for (const [filePath, { stamp, sha256 }] of entries) {
        appender.appendVarchar(filePath);
        appender.appendUBigInt(stamp.device);
        appender.appendUBigInt(stamp.inode);
        appender.appendBigInt(stamp.size);
        appender.appendBigInt(stamp.mtimeNs);
        appender.appendBigInt(stamp.ctimeNs);
        appender.appendVarchar(sha256);
        appender.endRow();
      }
      appender.closeSync();
      await connection.run('commit');
    } catch (error) {
      await rollbackIfOpen(connection);
      throw error;
    }
    for (const [filePath, { stamp, sha256 }] of entries)
      this.known.set(filePath, `${stampText(stamp)} ${sha256}`);
    this.fresh.clear();
  }
}
