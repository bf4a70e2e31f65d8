import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { repoRoot } from '../../etl/config.ts';

/** Runs the real `rcm` command line in a child process; returns its exit code and output. */
export function runRcm(
  args: string[],
  env: NodeJS.ProcessEnv = {},
): { code: number; stdout: string; stderr: string } {
  const result = spawnSync(process.execPath, [path.join(repoRoot, 'bin', 'rcm.mjs'), ...args], {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  return { code: result.status ?? 1, stdout: result.stdout, stderr: result.stderr };
}
