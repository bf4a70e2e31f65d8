import { parseArgs } from 'node:util';
import { type WarehousePaths, warehousePaths } from '../config.ts';
import { loadSettings } from '../settings/load.ts';

/** `--warehouse FILE`, accepted by every command that touches the warehouse. */
export const warehouseOption = { warehouse: { type: 'string' } } as const;

/** `--warehouse`, else RCM_WAREHOUSE, else the settings file's `warehouse`, else warehouse/rcm.duckdb. */
export function resolveWarehouse(values: { warehouse?: string | undefined }): WarehousePaths {
  return warehousePaths(process.env, values.warehouse ?? loadSettings().settings.warehouse);
}

export { parseArgs };
