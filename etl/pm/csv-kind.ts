import path from 'node:path';
import { isInputError } from '../input-error.ts';
import { CANONICAL, ENTITY_NAMES } from './canonical.ts';
import { detectProfile } from './detect-profile.ts';
import { loadProfiles, type Profile } from './profile.ts';

/** The file kinds of CSV inputs, one per canonical entity: 'pm:charges', 'clearinghouse:rejections', … */
export const CSV_KINDS = ENTITY_NAMES.map((name) => CANONICAL[name].kind);
/** The kinds of reference files several practices may load with the same content (CanonicalEntity). */
export const SHARED_CSV_KINDS: ReadonlySet<string> = new Set(
  ENTITY_NAMES.filter((name) => CANONICAL[name].sharedAcrossPractices).map((name) => CANONICAL[name].kind),
);
export type CsvKind = `pm:${string}` | `clearinghouse:${string}` | `bank:${string}` | `contracts:${string}`;

/** The kind of a CSV file decided by its header signature, or null when no profile fits it. */
export function detectCsvKind(filePath: string, profiles: Profile[] = loadProfiles()): CsvKind | null {
  try {
    const detection = detectProfile(filePath, path.basename(filePath), profiles);
    return CANONICAL[detection.profile.entity].kind as CsvKind;
  } catch (error) {
    if (isInputError(error)) return null;
    throw error;
  }
}
