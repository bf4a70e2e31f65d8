/**
 * Buffered, synchronous file output: the generator streams every file to disk in small chunks, so memory
 * stays bounded however many claims a run writes.
 */

import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, relative } from 'node:path';

const FLUSH_AT = 1 << 20;

export interface FileRecord {
  /** Path relative to the output folder, with forward slashes. */
  path: string;
  kind: string;
  bytes: number;
  /** Data rows (CSV, excluding header and totals) or transaction sets (X12). */
  records: number;
}

export class FileLog {
  readonly files: FileRecord[] = [];
  constructor(readonly root: string) {}
  add(path: string, kind: string, bytes: number, records: number): void {
    this.files.push({ path: relative(this.root, path).split('\\').join('/'), kind, bytes, records });
  }
}

export class FileSink {
  private fd: number;
  private parts: string[] = [];
  private pending = 0;
  bytes = 0;

  constructor(readonly path: string) {
    mkdirSync(dirname(path), { recursive: true });
    this.fd = openSync(path, 'w');
  }

  write(text: string): void {
    this.parts.push(text);
    this.pending += text.length;
    if (this.pending >= FLUSH_AT) this.flush();
  }

  private flush(): void {
    if (this.parts.length === 0) return;
    const buf = Buffer.from(this.parts.join(''), 'utf8');
    writeSync(this.fd, buf);
    this.bytes += buf.length;
    this.parts = [];
    this.pending = 0;
  }

  close(): number {
    this.flush();
    closeSync(this.fd);
    return this.bytes;
  }
}

/** Write a whole small file at once. */
export function writeWhole(path: string, text: string): number {
  const sink = new FileSink(path);
  sink.write(text);
  return sink.close();
}
