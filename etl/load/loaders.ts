import type { FileLoader } from '../warehouse/load-file.ts';
import { loadThin835 } from '../x12/thin-835.ts';
import type { FileKind } from './detect-kind.ts';

/** The loader for each kind of file the warehouse accepts; a kind without one is refused, not guessed. */
export const loaders: Partial<Record<FileKind, FileLoader>> = {
  '835': loadThin835,
};
