import type { z } from 'zod';

/**
 * Profile validation messages a person can act on: each names the key (its path in the YAML) and what was
 * expected there. zod says "Unrecognized key" without the keys it knows, and "Invalid input" for a value that
 * fits none of a union's shapes; both are spelled out here.
 */

type Issue = z.core.$ZodIssue;
type Schema = z.core.$ZodType;

interface Def {
  type: string;
  shape?: Record<string, Schema>;
  innerType?: Schema;
  valueType?: Schema;
  keyType?: Schema;
  entries?: Record<string, string>;
  element?: Schema;
  options?: Schema[];
  in?: Schema;
  schema?: Schema;
}

const defOf = (schema: Schema): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** The schemas a value at `path` may have (several under a union). */
function schemasAt(schema: Schema, path: PropertyKey[]): Schema[] {
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'default':
    case 'nullable':
      return def.innerType ? schemasAt(def.innerType, path) : [];
    case 'pipe':
      return def.in ? schemasAt(def.in, path) : [];
    case 'union':
      return (def.options ?? []).flatMap((option) => schemasAt(option, path));
  }
  if (path.length === 0) return [schema];
  const [key, ...rest] = path;
  if (def.type === 'object') {
    const child = def.shape?.[String(key)];
    return child ? schemasAt(child, rest) : [];
  }
  if (def.type === 'record' && def.valueType) return schemasAt(def.valueType, rest);
  if (def.type === 'array' && def.element) return schemasAt(def.element, rest);
  return [];
}

/** The keys an object at `path` accepts. */
export function keysAt(schema: Schema, path: PropertyKey[]): string[] {
  const keys = schemasAt(schema, path).flatMap((candidate) => {
    const def = defOf(candidate);
    // A record keyed by an enum (the entities) accepts the enum's values.
    if (def.type === 'record' && def.keyType) return Object.values(defOf(def.keyType).entries ?? {});
    return Object.keys(def.shape ?? {});
  });
  return [...new Set(keys)];
}

const where = (path: PropertyKey[]) => (path.length === 0 ? '(top level)' : path.map(String).join('.'));

/** One line per problem: `entities.charges.rows.drop.0: unknown key "colum" (expected one of: column, in, …)`. */
export function describeIssues(schema: Schema, issues: readonly Issue[], base: PropertyKey[] = []): string[] {
  return issues.flatMap((issue) => {
    const path = [...base, ...issue.path];
    if (issue.code === 'unrecognized_keys') {
      const known = keysAt(schema, path);
      return issue.keys.map(
        (key) => `${where(path)}: unknown key ${JSON.stringify(key)} (expected one of: ${known.join(', ')})`,
      );
    }
    if (issue.code === 'invalid_union') {
      // The branch that got furthest: fewest problems, a type mismatch at the top counting as the worst.
      const branches = issue.errors
        .map((branch) => ({
          branch,
          score:
            branch.length + (branch.some((i) => i.code === 'invalid_type' && i.path.length === 0) ? 100 : 0),
        }))
        .sort((a, b) => a.score - b.score);
      const best = branches[0];
      if (best && best.score < 100) return describeIssues(schema, best.branch, path);
      const shapes = branches
        .map(({ branch }) => branch.find((i) => i.code === 'invalid_type')?.expected)
        .filter(Boolean);
      return [`${where(path)}: expected ${[...new Set(shapes)].join(' or ') || 'another value'}`];
    }
    return [`${where(path)}: ${issue.message}`];
  });
}
