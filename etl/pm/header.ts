/** Header comparison ignores case, surrounding space and repeated inner spaces. */
export function normalizeHeader(header: string): string {
  return header.trim().replace(/\s+/g, ' ').toLowerCase();
}
