import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type WarehousePaths, warehousePaths } from '../../etl/config.ts';

/** A warehouse in a fresh temporary folder; `remove()` deletes the folder. */
export function tempWarehouse(label: string): WarehousePaths & { dir: string; remove(): void } {
  const dir = mkdtempSync(path.join(tmpdir(), `rcm-${label}-`));
  const paths = warehousePaths({}, path.join(dir, 'rcm.duckdb'));
  return { ...paths, dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
