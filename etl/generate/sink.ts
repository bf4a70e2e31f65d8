/**
 * Buffered, synchronous file output: the generator streams every file to disk in small chunks, so memory
 * stays bounded however many claims a run writes.
 */

import { closeSync, mkdirSync, openSync, utimesSync, writeFileSync, writeSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { dirname, relative } from 'node:path';

const FLUSH_AT = 1 << 16;
const madeDirs = new Set<string>();

export interface FileRecord {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  kind: string;
  bytes: number;
  /** Data rows (CSV, excluding header and totals) or transaction sets (X12). */
  records: number;
  /** When the file was "produced" in the simulated calendar; also set as the file's mtime. */
  modified: string;
}

/** Every file written, with a modification time derived from the data (never the clock). */
export class FileLog {
  readonly files: FileRecord[] = [];
  private pendingTimes: [string, number][] = [];
  /** Default modification time (seconds since the epoch): the as-of date. */
  defaultTime = 0;
  constructor(readonly root: string) {}
  add(path: string, kind: string, bytes: number, records: number, mtimeSeconds?: number): void {
    const t = mtimeSeconds ?? this.defaultTime;
    this.files.push({
      path: relative(this.root, path).split('\\').join('/'),
      kind,
      bytes,
      records,
      modified: `${new Date(t * 1000).toISOString().slice(0, 19)}Z`,
    });
    this.pendingTimes.push([path, t]);
  }
  /** Set the recorded modification times on disk (call once the files are closed and written). */
  applyTimes(): void {
    for (const [path, t] of this.pendingTimes) utimesSync(path, t, t);
    this.pendingTimes = [];
  }
}

export class FileSink {
  private fd: number;
  private buffer = '';
  bytes = 0;

  constructor(readonly path: string) {
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.buffer += text;
    if (this.buffer.length >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.buffer.length === 0) return;
    const buf = Buffer.from(this.buffer, 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.buffer = '';
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/** Write a whole small file at once. */
export function writeWhole(path: string, text: string): number {
  const dir = dirname(path);
  if (!madeDirs.has(dir)) {
    mkdirSync(dir, { recursive: true });
    madeDirs.add(dir);
  }
  const buf = Buffer.from(text, 'utf8');
  writeFileSync(path, buf);
  return buf.length;
}

/** Forget created folders (the output folder may have been removed between runs). */
export function resetSinkCache(): void {
  madeDirs.clear();
}

/**
 * Whole small files (835, 999, 277CA) written on the libuv thread pool, so file creation overlaps with the
 * simulation; at most `limit` are in flight (the caller awaits `drain` once a simulated day), which keeps memory
 * bounded.
 */
export class FileQueue {
  private readonly inFlight = new Set<Promise<void>>();
  private error: unknown = null;

  constructor(readonly limit = 32) {}

  write(path: string, text: string): number {
    const dir = dirname(path);
    if (!madeDirs.has(dir)) {
      mkdirSync(dir, { recursive: true });
      madeDirs.add(dir);
    }
    const buf = Buffer.from(text, 'utf8');
    const p: Promise<void> = writeFile(path, buf).then(
      () => {
        this.inFlight.delete(p);
      },
      (e: unknown) => {
        this.error ??= e;
        this.inFlight.delete(p);
      },
    );
    this.inFlight.add(p);
    return buf.length;
  }

  get pending(): number {
    return this.inFlight.size;
  }

  /** Wait until at most `max` writes are in flight; rethrows the first write error. */
  async drain(max = 0): Promise<void> {
    while (this.inFlight.size > max) await Promise.race(this.inFlight);
    if (this.error) throw this.error;
  }
}
