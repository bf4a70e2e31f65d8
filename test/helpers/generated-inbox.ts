import { readFileSync } from 'node:fs';
import path from 'node:path';
import { expect } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { runRcm } from './run-rcm.ts';

/** A small synthetic inbox written by the real `rcm generate` (seeded: always the same files); its manifest. */
export function generatedInbox(
  dir: string,
  size: { practices: number; providers: number; months: number; visits?: number; dialects?: string[] },
): Manifest {
  const generated = runRcm([
    'generate',
    '--out',
    dir,
    '--practices',
    String(size.practices),
    '--providers',
    String(size.providers),
    '--months',
    String(size.months),
    ...(size.visits === undefined ? [] : ['--visits', String(size.visits)]),
    ...(size.dialects ? ['--dialects', size.dialects.join(',')] : []),
  ]);
  expect(generated.code, generated.stderr).toBe(0);
  return JSON.parse(readFileSync(path.join(dir, 'manifest.json'), 'utf8'));
}
