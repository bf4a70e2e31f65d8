import { closeSync, openSync, readSync } from 'node:fs';

/** Up to `bytes` first bytes of a file: enough to tell its kind and find its header without reading it whole. */
export function readHead(filePath: string, bytes: number): Buffer {
  const fd = openSync(filePath, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    return buffer.subarray(0, readSync(fd, buffer, 0, bytes, 0));
  } finally {
    closeSync(fd);
  }
}
