import { closeSync, mkdirSync, openSync, readFileSync, rmSync, statSync, writeSync } from 'node:fs';
import path from 'node:path';

/**
 * One pipeline at a time per warehouse: ETL, dbt and Evidence open the DuckDB file one after another,
 * and a second run started meanwhile (say by the scheduler) would collide with them. The lock is a file
 * beside the warehouse holding the owner's pid; a lock whose process is gone is taken over.
 */
export async function withRunLock<T>(database: string, work: () => Promise<T>): Promise<T> {
  const lockPath = `${database}.lock`;
  mkdirSync(path.dirname(lockPath), { recursive: true });
  acquire(lockPath);
  try {
    return await work();
  } finally {
    rmSync(lockPath, { force: true });
  }
}

function acquire(lockPath: string): void {
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(lockPath, 'wx');
      writeSync(fd, String(process.pid));
      closeSync(fd);
      return;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const owner = Number(readFileSync(lockPath, 'utf8'));
      if (Number.isInteger(owner) && owner > 0 && isAlive(owner)) {
        throw new RunLockHeldError(lockPath, owner, lockedSince(lockPath));
      }
      rmSync(lockPath, { force: true });
    }
  }
  throw new Error(`could not take the run lock ${lockPath}`);
}

/** Another live process holds the warehouse: the caller exits with its own code (docs/usage.md). */
export class RunLockHeldError extends Error {
  constructor(
    readonly lockPath: string,
    readonly pid: number,
    readonly since: Date | null,
  ) {
    super(
      `another rcm run (pid ${pid}${since === null ? '' : `, since ${since.toISOString()}`}) is using this warehouse; ` +
        `lock file ${lockPath}`,
    );
    this.name = 'RunLockHeldError';
  }
}

function lockedSince(lockPath: string): Date | null {
  try {
    return statSync(lockPath).mtime;
  } catch {
    return null; // released meanwhile
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
