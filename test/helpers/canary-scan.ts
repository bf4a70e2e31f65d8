import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { tableFromIPC } from 'apache-arrow';

/**
 * Every place under `roots` (files or folders) where one of `values` appears, case-insensitively: text files as
 * bytes (latin1, so any encoding's ASCII letters match), Parquet files and Arrow IPC files (the site's prerendered
 * query results) decoded row by row: their pages or buffers may be compressed, so a byte search could see nothing.
 * An Arrow file that cannot be decoded (a compressed body apache-arrow does not read, say) throws rather than
 * passing unread. Each hit reads `file: value`.
 */
export async function canaryHits(roots: string[], values: string[]): Promise<string[]> {
  const wanted = values.filter((v) => v.trim().length >= 4).map((v) => v.toUpperCase());
  const hits: string[] = [];
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    for (const file of roots.flatMap(filesUnder)) {
      let text: string;
      if (file.endsWith('.parquet')) {
        const rows = (
          await connection.runAndReadAll(`select * from read_parquet('${file.replaceAll("'", "''")}')`)
        ).getRowsJson();
        text = JSON.stringify(rows);
      } else if (file.endsWith('.arrow')) {
        text = arrowText(file);
      } else {
        text = readFileSync(file).toString('latin1');
      }
      const upper = text.toUpperCase();
      for (const value of wanted) if (upper.includes(value)) hits.push(`${file}: ${value}`);
    }
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
  return hits;
}

/** Every value of every row of an Arrow IPC file (stream or file format), as text. */
export function arrowText(file: string): string {
  let table: ReturnType<typeof tableFromIPC>;
  try {
    table = tableFromIPC(readFileSync(file));
  } catch (error) {
    throw new Error(`${file}: not a readable Arrow IPC file (${(error as Error).message})`);
  }
  const parts: string[] = [];
  for (const row of table) {
    if (row === null) continue;
    for (const value of Object.values(row.toJSON())) parts.push(String(value));
  }
  return parts.join('\n');
}

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  if (!statSync(root).isDirectory()) return [root];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
