import { createHash } from 'node:crypto';
import { createReadStream, readFileSync, statSync } from 'node:fs';

/** Below this a file is read in one call: a stream's set-up costs more than the read for the typical small export. */
const READ_WHOLE_BELOW = 4 * 1024 * 1024;

/** SHA-256 of a file's bytes; a large file is streamed so any size hashes in bounded memory. */
export async function sha256File(filePath: string): Promise<string> {
  const hash = createHash('sha256');
  if (statSync(filePath).size < READ_WHOLE_BELOW) return hash.update(readFileSync(filePath)).digest('hex');
  for await (const chunk of createReadStream(filePath)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}
