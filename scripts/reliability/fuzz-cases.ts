/**
 * Fuzz cases for the loaders: valid input files mutated the ways files really break (bit rot, truncated
 * transfers, segments duplicated or lost, the wrong separators, a runaway element, a binary or empty file, the
 * wrong encoding) and fed through parsing (`inspectFile`) and loading (`loadInboxFiles`, one transaction per
 * file). Each case is derived from (seed, index) alone, so any case can be made again from its number.
 * Used by scripts/reliability/fuzz.ts (the big run) and test/reliability/fuzz.test.ts (a CI-sized run).
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WarehousePaths } from '../../etl/config.ts';
import { Rng } from '../../etl/generate/prng.ts';
import { type InboxOutcome, loadInboxFiles } from '../../etl/load/inbox.ts';
import { inspectFile } from '../../etl/x12/inspect.ts';

export interface SeedFile {
  name: string;
  bytes: Buffer;
}

/** Up to `perKind` files of each kind (by extension and entity prefix) from a generated inbox, sorted by path. */
export function pickSeeds(inbox: string, perKind = 3): SeedFile[] {
  const byKind = new Map<string, string[]>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) =>
      a.name < b.name ? -1 : 1,
    )) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name !== 'manifest.json') {
        const kind = `${path.extname(entry.name)}:${entry.name.split(/[_.]/)[0]}`;
        byKind.set(kind, [...(byKind.get(kind) ?? []), full]);
      }
    }
  };
  walk(inbox);
  return [...byKind.values()].flatMap((files) =>
    files
      .filter((file) => statSync(file).size < 512 * 1024)
      .slice(0, perKind)
      .map((file) => ({ name: path.basename(file), bytes: readFileSync(file) })),
  );
}

export const MUTATIONS = [
  'flip-bytes',
  'truncate',
  'duplicate-segment',
  'delete-segment',
  'wrong-separators',
  'huge-element',
  'random-binary',
  'empty',
  'utf16',
  'latin1-high-bytes',
  'splice-two-files',
] as const;
export type Mutation = (typeof MUTATIONS)[number];

/** Case `index` of a run: which seed file, which mutation, and the mutated bytes. */
export function makeCase(
  seed: string,
  index: number,
  seeds: SeedFile[],
): { name: string; mutation: Mutation; bytes: Buffer } {
  const rng = new Rng(`fuzz:${seed}:${index}`);
  const source = rng.pick(seeds);
  const mutation = rng.pick(MUTATIONS);
  return { name: source.name, mutation, bytes: mutate(rng, mutation, source.bytes, rng.pick(seeds).bytes) };
}

/** Record separators of the file: X12's segment terminator (ISA byte 105) or a CSV's newline. */
function records(bytes: Buffer): { parts: Buffer[]; terminator: number } {
  const terminator =
    bytes.subarray(0, 3).toString('latin1') === 'ISA' && bytes.length > 105 ? (bytes[105] as number) : 0x0a;
  const parts: Buffer[] = [];
  let start = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === terminator) {
      parts.push(bytes.subarray(start, i + 1));
      start = i + 1;
    }
  }
  if (start < bytes.length) parts.push(bytes.subarray(start));
  return { parts, terminator };
}

function mutate(rng: Rng, mutation: Mutation, bytes: Buffer, other: Buffer): Buffer {
  switch (mutation) {
    case 'flip-bytes': {
      const out = Buffer.from(bytes);
      for (let n = rng.int(1, 8); n > 0 && out.length > 0; n--)
        out[rng.int(0, out.length - 1)] = rng.int(0, 255);
      return out;
    }
    case 'truncate':
      return bytes.subarray(0, rng.int(0, Math.max(0, bytes.length - 1)));
    case 'duplicate-segment':
    case 'delete-segment': {
      const { parts } = records(bytes);
      if (parts.length === 0) return bytes;
      const at = rng.int(0, parts.length - 1);
      const copy = [...parts];
      if (mutation === 'delete-segment') copy.splice(at, 1);
      else copy.splice(at, 0, parts[at] as Buffer);
      return Buffer.concat(copy);
    }
    case 'wrong-separators': {
      const out = Buffer.from(bytes);
      const [from, to] = rng.pick([
        [0x2a, 0x7c], // * → |
        [0x7e, 0x0a], // ~ → newline
        [0x2c, 0x3b], // , → ;
        [0x3a, 0x2a], // : → *
        [0x0a, 0x0d], // LF → CR
      ]) as [number, number];
      for (let i = 0; i < out.length; i++) if (out[i] === from) out[i] = to;
      return out;
    }
    case 'huge-element': {
      const at = rng.int(0, bytes.length);
      const size = rng.pick([70_000, 1_000_000, 5_000_000]);
      return Buffer.concat([
        bytes.subarray(0, at),
        Buffer.alloc(size, rng.pick([0x39, 0x41, 0x20])),
        bytes.subarray(at),
      ]);
    }
    case 'random-binary': {
      const out = Buffer.alloc(rng.int(1, 4096));
      for (let i = 0; i < out.length; i++) out[i] = rng.int(0, 255);
      return rng.chance(0.5) ? Buffer.concat([bytes.subarray(0, rng.int(0, 200)), out]) : out;
    }
    case 'empty':
      return Buffer.alloc(0);
    case 'utf16':
      return Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(bytes.toString('latin1'), 'utf16le')]);
    case 'latin1-high-bytes': {
      const out = Buffer.from(bytes);
      for (let n = rng.int(1, 20); n > 0 && out.length > 0; n--)
        out[rng.int(0, out.length - 1)] = rng.pick([0xe9, 0xfc, 0xa0, 0xff, 0x80]);
      return out;
    }
    case 'splice-two-files':
      return Buffer.concat([
        bytes.subarray(0, rng.int(0, bytes.length)),
        other.subarray(rng.int(0, other.length)),
      ]);
  }
}

export interface CaseResult {
  index: number;
  mutation: Mutation;
  name: string;
  status: InboxOutcome['status'];
  /** A quarantine whose error is not a clear InputError (a loader failed in a way nobody described). */
  unexplained: boolean;
  location: string;
  message: string;
  ms: number;
}

/**
 * Runs case `index`: writes the mutated file, inspects it when it looks like X12 (inspect must never throw),
 * loads it, and removes it. Throws only when something crashed: that is a finding, not an outcome.
 */
export async function runCase(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  scratch: string,
  seed: string,
  index: number,
  seeds: SeedFile[],
): Promise<CaseResult> {
  const made = makeCase(seed, index, seeds);
  const dir = path.join(scratch, String(index));
  mkdirSync(dir, { recursive: true });
  const filePath = path.join(dir, made.name);
  writeFileSync(filePath, made.bytes);
  const start = performance.now();
  try {
    if (made.bytes.subarray(0, 3).toString('latin1') === 'ISA') await inspectFile(filePath);
    const [outcome] = await loadInboxFiles(connection, paths, [{ filePath, practiceId: 'FUZZ' }]);
    if (outcome === undefined) throw new Error('no outcome');
    const location = outcome.status === 'quarantined' ? outcome.location : '';
    return {
      index,
      mutation: made.mutation,
      name: made.name,
      status: outcome.status,
      unexplained: outcome.status === 'quarantined' && outcome.message.startsWith('could not be loaded'),
      location,
      message: outcome.status === 'quarantined' ? outcome.message : '',
      ms: performance.now() - start,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
