import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The dbt layers of docs/architecture.md, checked on the model files: staging → intermediate → marts. A model
 * may ref seeds and models of its own layer or a lower one, never a higher one: an intermediate model reading a
 * mart would tie business logic to what is published (and to its contract).
 */
const MODELS = fileURLToPath(new URL('../../models/', import.meta.url));
const LAYERS = ['staging', 'intermediate', 'marts'] as const;

function sqlFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sqlFiles(full);
    return entry.name.endsWith('.sql') ? [full] : [];
  });
}

interface Model {
  name: string;
  layer: number;
  refs: string[];
}

function readModels(modelsDir: string): Model[] {
  return LAYERS.flatMap((layer, index) =>
    sqlFiles(path.join(modelsDir, layer)).map((file) => ({
      name: path.basename(file, '.sql'),
      layer: index,
      // ref('name') or ref('package', 'name'): the model is the last argument
      refs: [
        ...readFileSync(file, 'utf8').matchAll(/\bref\(\s*(?:['"][^'"]+['"]\s*,\s*)?['"]([^'"]+)['"]\s*\)/g),
      ].map((match) => match[1] as string),
    })),
  );
}

/** Each ref from a model to a model of a higher layer, as `model (layer) → ref (layer)`. */
function layerViolations(modelsDir: string): string[] {
  const models = readModels(modelsDir);
  const layerOf = new Map(models.map((model) => [model.name, model.layer]));
  return models.flatMap((model) =>
    model.refs
      .filter((ref) => (layerOf.get(ref) ?? -1) > model.layer)
      .map(
        (ref) => `${model.name} (${LAYERS[model.layer]}) → ${ref} (${LAYERS[layerOf.get(ref) as number]})`,
      ),
  );
}

describe('dbt layers', () => {
  it('no staging or intermediate model reads a model of a later layer', () => {
    const models = readModels(MODELS);
    // the parse found the project's models and their refs (an empty parse would pass vacuously)
    expect(models.filter((model) => model.layer === 1).length).toBeGreaterThan(20);
    expect(models.find((model) => model.name === 'int_payer_claim_facts')?.refs).toContain(
      'int_claim_lifecycle',
    );
    expect(layerViolations(MODELS)).toEqual([]);
  });

  it('names a violation', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'rcm-layers-'));
    try {
      for (const layer of LAYERS) mkdirSync(path.join(dir, layer, 'area'), { recursive: true });
      writeFileSync(path.join(dir, 'staging/area/stg_a.sql'), "select * from {{ source('raw', 'a') }}\n");
      writeFileSync(path.join(dir, 'intermediate/area/int_a.sql'), "select * from {{ ref('stg_a') }}\n");
      writeFileSync(path.join(dir, 'intermediate/area/int_b.sql'), 'select * from {{ ref("a_mart") }}\n');
      writeFileSync(
        path.join(dir, 'staging/area/stg_b.sql'),
        "select * from {{ ref('rcm_warehouse', 'int_a') }}\n",
      );
      writeFileSync(path.join(dir, 'marts/area/a_mart.sql'), "select * from {{ ref('int_a') }}\n");
      expect(layerViolations(dir).sort()).toEqual([
        'int_b (intermediate) → a_mart (marts)',
        'stg_b (staging) → int_a (intermediate)',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
