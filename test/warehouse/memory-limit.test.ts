import { afterAll, describe, expect, it } from 'vitest';
import { loadMemoryLimit, warehousePaths } from '../../etl/config.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('RCM_MEMORY_LIMIT', () => {
  const wh = tempWarehouse('memory-limit');
  afterAll(() => wh.remove());

  it('is read as a size, and a value that is not one is refused with the variable named', () => {
    expect(loadMemoryLimit({ RCM_MEMORY_LIMIT: '512MB' })).toBe('512MB');
    expect(loadMemoryLimit({ RCM_MEMORY_LIMIT: '2GiB' })).toBe('2GiB');
    expect(loadMemoryLimit({})).toBeUndefined();
    expect(() => loadMemoryLimit({ RCM_MEMORY_LIMIT: 'lots' })).toThrow(/RCM_MEMORY_LIMIT/);
    expect(() => loadMemoryLimit({ RCM_MEMORY_LIMIT: '1KB' })).toThrow(/at least 32MB/);
    expect(loadMemoryLimit({ RCM_MEMORY_LIMIT: '32MB' })).toBe('32MB');
    // Other commands do not read it: a bad value cannot break them.
    expect(warehousePaths({ RCM_MEMORY_LIMIT: 'lots' }, '/tmp/w.duckdb').database).toBe('/tmp/w.duckdb');
  });

  it('bounds the DuckDB the loader opens', async () => {
    const warehouse = await openWarehouse(wh.database, { memoryLimit: '256MiB' });
    try {
      const reader = await warehouse.connection.runAndReadAll("select current_setting('memory_limit')");
      expect(reader.getRows()[0]?.[0]).toBe('256.0 MiB');
    } finally {
      warehouse.close();
    }
  });
});
