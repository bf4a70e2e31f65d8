import { CSV_KINDS } from '../pm/csv-kind.ts';
import type { FileLoader } from '../warehouse/load-file.ts';
import { loadCsvInput } from './csv-loader.ts';
import type { FileKind } from './detect-kind.ts';
import { loadX12 } from './x12-loader.ts';

/** The loader for each kind of file the warehouse accepts; a kind without one is refused, not guessed. */
export const loaders: Partial<Record<FileKind, FileLoader>> = {
  // X12: one streaming loader for every transaction set the engine reads.
  '835': loadX12,
  '837P': loadX12,
  '277CA': loadX12,
  '999': loadX12,
  // An X12 file whose transaction set could not be recognised: the engine says exactly where it breaks.
  'unknown-x12': loadX12,
  // CSV inputs go through their mapping profile; a CSV no profile fits is refused with the closest ones.
  csv: loadCsvInput,
  ...Object.fromEntries(CSV_KINDS.map((kind) => [kind, loadCsvInput])),
};
