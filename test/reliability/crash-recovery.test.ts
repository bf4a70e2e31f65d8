import { type ChildProcess, spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { repoRoot } from '../../etl/config.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { type Fingerprint, fingerprint } from '../../etl/warehouse/fingerprint.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * A warehouse survives SIGKILL at any moment of a load (the first load of a new warehouse included): it opens,
 * holds no half-loaded file, and a re-run ends identical to a clean load. A warehouse bricked the way the
 * releases before the checkpoint fix left it is brought back by `rcm recover`.
 */
describe('crash safety of loading', () => {
  const root = tempWarehouse('crash');
  const inbox = path.join(root.dir, 'inbox');
  let clean: Fingerprint;
  let fileCount: number;

  beforeAll(async () => {
    generatedInbox(inbox, { practices: 2, providers: 1, months: 1 });
    const load = runRcm(['load', inbox, '--warehouse', root.database]);
    expect(load.code, load.stdout + load.stderr).toBe(0);
    clean = await fingerprintOf(root.database);
    fileCount = clean.registry.length;
  });
  afterAll(() => root.remove());

  it('the clean load is what the other runs are compared with', () => {
    // Every file of the inbox is in the registry, loaded, and every raw table it feeds has rows.
    expect(fileCount).toBe(listFiles(inbox).length);
    expect(clean.registry.every((row) => row.split('|')[2] === 'loaded')).toBe(true);
    expect(Object.keys(clean.rows).length).toBeGreaterThan(10);
  });

  // Kill points: while the new warehouse is being created, after the first file, a third and two thirds in.
  for (const killAfter of [0, 1, 0.33, 0.66]) {
    it(`SIGKILL after ${killAfter < 1 && killAfter > 0 ? `${killAfter * 100}% of` : killAfter} files: opens, no partial file, a re-run equals a clean load`, async () => {
      const wh = tempWarehouse('killed');
      try {
        const target = killAfter > 0 && killAfter < 1 ? Math.round(fileCount * killAfter) : killAfter;
        const child = spawn(
          process.execPath,
          [path.join(repoRoot, 'bin', 'rcm.mjs'), 'load', inbox, '--warehouse', wh.database],
          {
            cwd: repoRoot,
            stdio: 'ignore',
          },
        );
        const archived = await killWhen(child, () =>
          target === 0 ? existsSync(wh.database) : archivedCount(wh.archiveDir) >= target,
        );
        expect(archived, 'the load finished before the kill point').toBe(true);

        // It opens (read-write, as the next run would) and holds whole files only.
        const after = await fingerprintOf(wh.database);
        expect(after.orphanRows).toBe(0);
        for (const [key, count] of Object.entries(after.rows))
          expect([key, count]).toEqual([key, clean.rows[key]]);
        expect(after.registry.length).toBeLessThan(fileCount);

        const rerun = runRcm(['load', inbox, '--warehouse', wh.database]);
        expect(rerun.code, rerun.stdout + rerun.stderr).toBe(0);
        expect(await fingerprintOf(wh.database)).toEqual(clean);
      } finally {
        wh.remove();
      }
    });
  }

  it('a warehouse whose log cannot be replayed: rcm says so plainly, and rcm recover makes it equal to a clean load', async () => {
    const wh = tempWarehouse('bricked');
    try {
      const brick = spawnSync(
        process.execPath,
        [
          '--import',
          'tsx',
          path.join(repoRoot, 'test', 'reliability', 'brick-warehouse.ts'),
          wh.database,
          inbox,
        ],
        { cwd: repoRoot, encoding: 'utf8' },
      );
      expect(brick.signal, brick.stderr).toBe('SIGKILL');

      const refused = runRcm(['load', inbox, '--warehouse', wh.database]);
      expect(refused.code).toBe(1);
      expect(refused.stderr).toContain('cannot be opened');
      expect(refused.stderr).toContain('rcm recover');
      const transform = runRcm(['transform', '--warehouse', wh.database]);
      expect(transform.code).toBe(1);
      expect(transform.stderr).toContain('rcm recover');

      const recovered = runRcm(['recover', '--warehouse', wh.database]);
      expect(recovered.code, recovered.stdout + recovered.stderr).toBe(0);
      expect(recovered.stdout).toContain(`loaded ${fileCount}, already loaded 0, quarantined 0`);
      // The log is kept, not deleted.
      expect(readdirSync(path.join(wh.dir, 'recovery'))).toHaveLength(1);
      expect(await fingerprintOf(wh.database)).toEqual(clean);

      // Recovering again, or loading the inbox again, changes nothing.
      const again = runRcm(['recover', '--warehouse', wh.database]);
      expect(again.stdout).toContain('opens as it is');
      expect(again.stdout).toContain('loaded 0, already loaded 0, quarantined 0');
      expect(runRcm(['load', inbox, '--warehouse', wh.database]).stdout).toContain(
        `loaded 0, already loaded ${fileCount}, quarantined 0`,
      );
      expect(await fingerprintOf(wh.database)).toEqual(clean);
    } finally {
      wh.remove();
    }
    // six rcm runs and two fingerprints: over vitest's default two minutes on a loaded machine
  }, 300_000);
});

async function fingerprintOf(database: string): Promise<Fingerprint> {
  const warehouse = await openWarehouse(database);
  try {
    return await fingerprint(warehouse.connection);
  } finally {
    warehouse.close();
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !entry.name.startsWith('.') && entry.parentPath !== dir)
    .map((entry) => path.join(entry.parentPath, entry.name));
}

function archivedCount(archiveDir: string): number {
  if (!existsSync(archiveDir)) return 0;
  return readdirSync(archiveDir).reduce(
    (n, prefix) => n + readdirSync(path.join(archiveDir, prefix)).length,
    0,
  );
}

/** Polls `ready` and SIGKILLs the child as soon as it holds; false if the child ended first. */
function killWhen(child: ChildProcess, ready: () => boolean): Promise<boolean> {
  return new Promise((resolve) => {
    let done = false;
    child.on('exit', () => {
      if (!done) resolve(false);
      done = true;
    });
    const poll = setInterval(() => {
      if (done) return clearInterval(poll);
      if (ready()) {
        done = true;
        clearInterval(poll);
        child.kill('SIGKILL');
        child.on('exit', () => resolve(true));
      }
    }, 5);
  });
}
