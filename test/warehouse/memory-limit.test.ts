import { afterAll, describe, expect, it } from 'vitest';
import { loadMemoryLimit, warehousePaths, withMemoryHint } from '../../etl/config.ts';
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

  it("adds the load's own setting to DuckDB's out-of-memory error, and leaves other errors alone", () => {
    // DuckDB 1.4's message when a commit could not get memory, as a 10-practice load at 64MB gave it.
    const duckdb = new Error(
      "TransactionContext Error: Failed to commit: failed to pin block of size 256.0 KiB (60.9 MiB/61.0 MiB used)\n\nPossible solutions:\n* Increasing the memory limit (SET memory_limit='...GB')",
    );
    const hinted = withMemoryHint(duckdb, '64MB') as Error;
    expect(hinted.message).toMatch(/^TransactionContext Error: Failed to commit: failed to pin block/);
    expect(hinted.message).toMatch(/The load's memory limit is 64MB: raise it with RCM_MEMORY_LIMIT/);
    expect(
      (withMemoryHint(new Error('Out of Memory Error: could not allocate block'), undefined) as Error)
        .message,
    ).toMatch(
      /memory limit is DuckDB's default \(80% of RAM; 64MB while an X12 file of 32 MiB or more loads\)/,
    );
    const other = new Error('IO Error: disk full');
    expect((withMemoryHint(other, '64MB') as Error).message).toBe('IO Error: disk full');
  });
});
