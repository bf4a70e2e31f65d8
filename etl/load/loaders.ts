import { CSV_KINDS } from '../pm/kind.ts';
import { loadCsvInput } from '../pm/load-csv.ts';
import type { FileLoader } from '../warehouse/load-file.ts';
import { loadThin835 } from '../x12/thin-835.ts';
import type { FileKind } from './detect-kind.ts';

/** The loader for each kind of file the warehouse accepts; a kind without one is refused, not guessed. */
export const loaders: Partial<Record<FileKind, FileLoader>> = {
  '835': loadThin835,
  // CSV inputs go through their mapping profile; a CSV no profile fits is refused with the closest ones.
  csv: loadCsvInput,
  ...Object.fromEntries(CSV_KINDS.map((kind) => [kind, loadCsvInput])),
};
