import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The layers of docs/architecture.md, checked on the source: parsers read and check input and know nothing of
 * storage; one layer writes raw rows; no two parts of etl/ depend on each other both ways.
 */
const ETL = fileURLToPath(new URL('../etl/', import.meta.url));

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.name.endsWith('.ts') ? [full] : [];
  });
}

/** A part of etl/: its folder, or for a file at the top (money.ts, config.ts, …) the file itself. */
function partOf(file: string): string {
  const relative = path.relative(ETL, file).split(path.sep);
  return relative.length > 1 ? (relative[0] as string) : (relative[0] as string).replace(/\.ts$/, '');
}

const files = sourceFiles(ETL);

/** Every relative import, static or dynamic, of each file, resolved to a path. */
const imports = new Map(
  files.map((file) => {
    const text = readFileSync(file, 'utf8');
    const specifiers = [
      ...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+'([^']+)'/g),
      ...text.matchAll(/import\(\s*'([^']+)'\s*\)/g),
    ].map((match) => match[1] as string);
    return [
      file,
      specifiers.filter((s) => s.startsWith('.')).map((s) => path.resolve(path.dirname(file), s)),
    ];
  }),
);

/** Strongly connected groups of more than one node: each is a cycle. */
function cycles(graph: Map<string, Set<string>>): string[][] {
  let counter = 0;
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const found: string[][] = [];
  const visit = (node: string) => {
    index.set(node, counter);
    low.set(node, counter);
    counter++;
    stack.push(node);
    onStack.add(node);
    for (const next of graph.get(node) ?? []) {
      if (!index.has(next)) {
        visit(next);
        low.set(node, Math.min(low.get(node) as number, low.get(next) as number));
      } else if (onStack.has(next)) {
        low.set(node, Math.min(low.get(node) as number, index.get(next) as number));
      }
    }
    if (low.get(node) === index.get(node)) {
      const group: string[] = [];
      let member: string;
      do {
        member = stack.pop() as string;
        onStack.delete(member);
        group.push(member);
      } while (member !== node);
      if (group.length > 1) found.push(group.sort());
    }
  };
  for (const node of graph.keys()) if (!index.has(node)) visit(node);
  return found;
}

describe('layers of etl/', () => {
  it('finds the imports it checks', () => {
    expect(files.length).toBeGreaterThan(50);
    expect(imports.get(path.join(ETL, 'load/x12-row-sink.ts'))).toContain(path.join(ETL, 'x12/parse.ts'));
  });

  it('has no cycle between its folders', () => {
    const graph = new Map<string, Set<string>>();
    for (const [file, targets] of imports) {
      const from = partOf(file);
      const edges = graph.get(from) ?? new Set<string>();
      graph.set(from, edges);
      for (const target of targets) if (partOf(target) !== from) edges.add(partOf(target));
    }
    expect(cycles(graph)).toEqual([]);
  });

  it('has no cycle between its files', () => {
    const graph = new Map([...imports].map(([file, targets]) => [file, new Set(targets)]));
    expect(cycles(graph).map((group) => group.map((file) => path.relative(ETL, file)))).toEqual([]);
  });

  it('keeps the parsers (x12/, pm/) apart from storage, loading and the pipeline', () => {
    const forbidden = ['warehouse', 'load', 'pipeline', 'cli', 'generate'];
    const crossings = [...imports].flatMap(([file, targets]) =>
      ['x12', 'pm'].includes(partOf(file))
        ? targets
            .filter((target) => forbidden.includes(partOf(target)))
            .map((target) => `${path.relative(ETL, file)} -> ${path.relative(ETL, target)}`)
        : [],
    );
    expect(crossings).toEqual([]);
  });

  it('writes raw rows only in load/ (the loaders) and warehouse/ (the file registry)', () => {
    const writers = files.filter((file) =>
      /insert\s+into\s+raw\.|createAppender\(|duckdb_appender|data_chunk/i.test(readFileSync(file, 'utf8')),
    );
    expect(
      writers.map((file) => partOf(file)).filter((part) => part !== 'load' && part !== 'warehouse'),
    ).toEqual([]);
  });

  it('keeps DuckDB out of the parsing worker: nothing it imports, however indirectly, loads it', () => {
    /** Imports that load a module when run: `import type` and `export type` are erased. */
    const loaded = (file: string) =>
      [
        ...readFileSync(file, 'utf8').matchAll(
          /(?:^|\n)\s*(?:import|export)\s(?!type\s)[^;]*?from\s+'(\.[^']+)'/g,
        ),
      ].map((match) => path.resolve(path.dirname(file), match[1] as string));
    const reached = new Set<string>();
    const visit = (file: string) => {
      if (reached.has(file)) return;
      reached.add(file);
      for (const target of loaded(file)) visit(target);
    };
    visit(path.join(ETL, 'load/x12-parse-worker.ts'));
    expect(reached.size).toBeGreaterThan(10);
    const duckdb = [...reached].filter((file) => /from\s+'@duckdb\//.test(readFileSync(file, 'utf8')));
    expect(duckdb.map((file) => path.relative(ETL, file))).toEqual([]);
  });
});
