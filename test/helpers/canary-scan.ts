import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';

/**
 * Every place under `roots` (files or folders) where one of `values` appears, case-insensitively: text files as
 * bytes (latin1, so any encoding's ASCII letters match), Parquet files decoded row by row (their pages are
 * compressed, so a byte search would see nothing). Each hit reads `file: value`.
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

function filesUnder(root: string): string[] {
  if (!existsSync(root)) return [];
  if (!statSync(root).isDirectory()) return [root];
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile())
    .map((entry) => path.join(entry.parentPath, entry.name));
}
