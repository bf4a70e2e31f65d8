import { existsSync, writeFileSync } from 'node:fs';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { initCommand } from '../../etl/cli/commands/init.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('rcm init (initCommand)', () => {
  const wh = tempWarehouse('init');
  afterAll(() => wh.remove());

  it('refuses while another run holds the warehouse, and creates it once the lock is free', async () => {
    const lock = `${wh.database}.lock`;
    writeFileSync(lock, String(process.pid)); // a live process holds the run
    await expect(initCommand(['--warehouse', wh.database])).rejects.toThrow(/another rcm run/);
    expect(existsSync(wh.database)).toBe(false);

    writeFileSync(lock, '999999999'); // a lock left behind by a process that is gone is taken over
    const write = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      expect(await initCommand(['--warehouse', wh.database])).toBe(0);
    } finally {
      write.mockRestore();
    }
    expect(existsSync(wh.database)).toBe(true);
    expect(existsSync(lock)).toBe(false);
  });
});
