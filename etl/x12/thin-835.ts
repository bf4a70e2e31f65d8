import { loadX12 } from '../load/x12-loader.ts';

/**
 * The first-slice 835 loader is replaced by the X12 engine (etl/load/x12-loader.ts). This name stays only so
 * existing imports keep working; use loadX12.
 * @deprecated
 */
export const loadThin835 = loadX12;
