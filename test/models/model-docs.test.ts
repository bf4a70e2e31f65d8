// Every model, seed and source table of the dbt project says what it holds, and so does every column of every mart
// (the reports' and exports' interface). Read from the manifest of `dbt parse`: no warehouse needed.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, venvBin } from '../../etl/config.ts';
import { pipelineEnv } from '../../etl/pipeline/offline-env.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

interface Node {
  resource_type: string;
  name: string;
  schema: string;
  original_file_path: string;
  description?: string;
  columns: Record<string, { description?: string }>;
}

interface Manifest {
  nodes: Record<string, Node>;
  sources: Record<string, { source_name: string; name: string; description?: string }>;
  exposures: Record<string, { name: string; depends_on: { nodes: string[] } }>;
}

const described = (text: string | undefined): boolean => (text ?? '').trim().length > 0;

describe('dbt documentation', () => {
  const wh = tempWarehouse('model-docs');
  afterAll(() => wh.remove());

  it('describes every model, seed, source table and mart column', () => {
    const target = path.join(wh.dir, 'target');
    const parsed = spawnSync(
      venvBin('dbt'),
      ['parse', '--project-dir', repoRoot, '--profiles-dir', repoRoot, '--target-path', target],
      { cwd: repoRoot, env: { ...process.env, ...pipelineEnv(wh.database) }, encoding: 'utf8' },
    );
    expect(parsed.status, parsed.stdout + parsed.stderr).toBe(0);
    const manifest = JSON.parse(readFileSync(path.join(target, 'manifest.json'), 'utf8')) as Manifest;

    const nodes = Object.values(manifest.nodes).filter(
      (node) => node.resource_type === 'model' || node.resource_type === 'seed',
    );
    const sources = Object.values(manifest.sources);
    // a manifest without the project's nodes would pass every check below
    expect(nodes.filter((node) => node.resource_type === 'model').length).toBeGreaterThanOrEqual(90);
    expect(sources.length).toBeGreaterThanOrEqual(25);

    expect(
      nodes
        .filter((node) => !described(node.description))
        .map((node) => `${node.resource_type} ${node.name} (${node.original_file_path})`),
    ).toEqual([]);
    expect(
      sources
        .filter((source) => !described(source.description))
        .map((source) => `source ${source.source_name}.${source.name}`),
    ).toEqual([]);

    const marts = nodes.filter((node) => node.resource_type === 'model' && node.schema === 'marts');
    expect(marts.length).toBeGreaterThanOrEqual(30);
    expect(
      marts.flatMap((mart) =>
        Object.entries(mart.columns)
          .filter(([, column]) => !described(column.description))
          .map(([name]) => `${mart.name}.${name}`),
      ),
    ).toEqual([]);
    // a mart documented without its columns would slip through the check above
    expect(marts.filter((mart) => Object.keys(mart.columns).length === 0).map((mart) => mart.name)).toEqual(
      [],
    );

    // the exposures parse and reach marts (test/reports/exposures.test.ts checks which)
    const exposures = Object.values(manifest.exposures);
    expect(exposures.length).toBeGreaterThanOrEqual(16);
    expect(exposures.filter((exposure) => exposure.depends_on.nodes.length === 0)).toEqual([]);
  }, 300_000); // one full parse (~15 s of CPU), on a machine busy with the rest of the suite

  it('configures no path that points at nothing', () => {
    const project = parse(readFileSync(path.join(repoRoot, 'dbt_project.yml'), 'utf8')) as Record<
      string,
      unknown
    >;
    const configured = Object.entries(project)
      .filter(([key]) => key.endsWith('-paths'))
      .flatMap(([key, value]) => (value as string[]).map((folder) => `${key}: ${folder}`));
    expect(configured.length).toBeGreaterThanOrEqual(4);
    expect(
      configured.filter((entry) => !existsSync(path.join(repoRoot, entry.split(': ')[1] as string))),
    ).toEqual([]);
  });
});
