import { parseArgs } from 'node:util';
import { type WarehousePaths, warehousePaths } from '../config.ts';
import { loadSettings } from '../settings/load.ts';

/** `--warehouse FILE`, accepted by every command that touches the warehouse. */
export const warehouseOption = { warehouse: { type: 'string' } } as const;

/** `--warehouse`, else RCM_WAREHOUSE, else the settings file's `warehouse`, else warehouse/rcm.duckdb. */
export function resolveWarehouse(values: { warehouse?: string | undefined }): WarehousePaths {
  // Read (and so checked) even when --warehouse is given: bad settings are reported by every command alike.
  const fromSettings = loadSettings().settings.warehouse;
  return warehousePaths(process.env, values.warehouse ?? fromSettings);
}

export { parseArgs };
