import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../etl/config.ts';

/**
 * The user's own files, which tests must never write: the demo's warehouse (and its archive and quarantine)
 * and the report site `rcm serve` shows. Tests write only into temporary folders.
 */
export const USER_FOLDERS = [path.join(repoRoot, 'warehouse'), path.join(repoRoot, 'reports', 'build')];

/** Every file below the folders, by path, with its sha256. */
export function fingerprint(folders: string[] = USER_FOLDERS): Map<string, string> {
  const files = new Map<string, string>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.isFile()) files.set(full, createHash('sha256').update(readFileSync(full)).digest('hex'));
      else
        files.set(
          full,
          `link or special file, ${statSync(full, { throwIfNoEntry: false })?.size ?? 0} bytes`,
        );
    }
  };
  for (const folder of folders) if (existsSync(folder)) walk(folder);
  return files;
}

/** What changed between two fingerprints, one line per file. */
export function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const lines: string[] = [];
  for (const [file, hash] of before) {
    if (!after.has(file)) lines.push(`removed ${file}`);
    else if (after.get(file) !== hash) lines.push(`changed ${file}`);
  }
  for (const file of after.keys()) if (!before.has(file)) lines.push(`added ${file}`);
  return lines;
}

/**
 * vitest global setup: fingerprints the user's folders before the whole suite and fails the run (exit code 1;
 * a throw in teardown alone is only printed) if any test added, changed or removed a file in them.
 */
export default function setup(): () => void {
  const before = fingerprint();
  return () => {
    const changed = changes(before, fingerprint());
    if (changed.length > 0) {
      process.exitCode = 1;
      throw new Error(
        `the tests changed the user's files (tests must write only to temporary folders):\n${changed.join('\n')}`,
      );
    }
  };
}
