import { existsSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { isSeq, parseDocument, YAMLSeq } from 'yaml';
import { SettingsError, validate } from './load.ts';
import type { PracticeSettings } from './schema.ts';

/**
 * Adds a practice to the settings file, keeping the file's comments and layout, and writes it only if the
 * whole file still validates. The write is atomic (temporary file, then rename): a crash leaves the old file.
 */
export function addPractice(
  file: string,
  practice: Partial<PracticeSettings> & { id: string; name: string },
): void {
  const text = existsSync(file) ? readFileSync(file, 'utf8') : HEADER;
  const document = parseDocument(text);
  if (document.errors.length > 0) {
    throw new SettingsError(`${file}: not valid YAML: ${document.errors[0]?.message.split('\n')[0]}`);
  }
  let practices = document.get('practices');
  if (practices === undefined || practices === null) {
    practices = new YAMLSeq();
    document.set('practices', practices);
  }
  if (!isSeq(practices)) throw new SettingsError(`${file}: practices: expected a list of practices`);
  const existing = (document.toJS()?.practices ?? []) as { id?: unknown }[];
  if (existing.some((p) => p?.id === practice.id)) {
    throw new SettingsError(`${file}: practices: a practice with id '${practice.id}' is already there`);
  }
  practices.add(document.createNode(practice));
  const updated = document.toString();
  validate(file, parseDocument(updated).toJS());
  const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${process.pid}.tmp`);
  writeFileSync(temporary, updated, { mode: 0o600 });
  renameSync(temporary, file);
}

const HEADER = `# rcm settings (docs/usage.md lists every key). Paths are relative to this file.
`;
