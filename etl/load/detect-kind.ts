import { readHead } from '../file-head.ts';
import { type CsvKind, detectCsvKind } from '../pm/csv-kind.ts';

/**
 * What kind of input a file is, decided from its first bytes, never from its name alone. A CSV input is typed
 * by the mapping profile its header fits ('pm:charges', …), 'csv' when none fits.
 */
export type FileKind = '835' | '837P' | '277CA' | '999' | 'unknown-x12' | 'csv' | CsvKind | 'unknown';

export function detectKind(filePath: string): FileKind {
  const head = readHead(filePath, 4096)
    .toString('latin1')
    .replace(/^\uFEFF/, '')
    .trimStart();
  // X12 starts with an ISA and its element separator, or (no envelope) ST, a separator and the set's id: a CSV
  // whose first header merely starts with "ST" (ST, START_DT) is not X12.
  const isa = /^ISA[^A-Za-z0-9\s]/.test(head);
  if (isa || /^ST[^A-Za-z0-9\s]\d{3}/.test(head)) {
    const elementSep = isa ? head[3] : head[2];
    const st = new RegExp(`(?:^|[^A-Z0-9])ST\\${elementSep}(\\d{3})`).exec(head);
    switch (st?.[1]) {
      case '835':
        return '835';
      case '837':
        return '837P';
      case '277':
        return '277CA';
      case '999':
        return '999';
      default:
        return 'unknown-x12';
    }
  }
  if (/^[^\n]*[,;\t|][^\n]*\r?\n/.test(head)) return detectCsvKind(filePath) ?? 'csv';
  // An empty export goes to the CSV loader, which refuses it as docs/inputs.md §3 says (line 1, a header line).
  if (head.trim() === '') return 'csv';
  return 'unknown';
}
