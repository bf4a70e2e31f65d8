import { parseArgs } from 'node:util';
import { type WarehousePaths, warehousePaths } from '../config.ts';

/** `--warehouse FILE`, accepted by every command that touches the warehouse. */
export const warehouseOption = { warehouse: { type: 'string' } } as const;

export function resolveWarehouse(values: { warehouse?: string | undefined }): WarehousePaths {
  return warehousePaths(process.env, values.warehouse);
}

export { parseArgs };
