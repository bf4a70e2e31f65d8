// Fails when reports/ is installed without the offline patch, or with other versions than the ones
// the patch was written against.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { reportsDir } from './helpers.ts';

const nodeModules = join(reportsDir, 'node_modules');
const installedVersion = (pkg: string, under = nodeModules): string =>
  (JSON.parse(readFileSync(join(under, pkg, 'package.json'), 'utf8')) as { version: string }).version;

const manifest = JSON.parse(readFileSync(join(reportsDir, 'package.json'), 'utf8')) as {
  scripts: Record<string, string>;
  dependencies: Record<string, string>;
  devDependencies: Record<string, string>;
  overrides: Record<string, string>;
};
const lock = JSON.parse(readFileSync(join(reportsDir, 'package-lock.json'), 'utf8')) as {
  packages: Record<string, { version?: string }>;
};

// What the patches in reports/patches/ were written against.
const PATCHED_FILES: Record<string, string[]> = {
  '@evidence-dev/universal-sql': [
    'src/build-parquet.js',
    'src/client-duckdb/node.js',
    'src/client-duckdb/browser.js',
  ],
  '@evidence-dev/core-components': ['dist/organisms/layout/header/AlgoliaDocSearch.svelte'],
  '@sveltejs/kit': ['src/core/postbuild/prerender.js'],
  '@evidence-dev/sdk': ['src/usql/query/Query.js'],
};
const PINNED: Record<string, string> = {
  '@evidence-dev/evidence': '40.1.8',
  '@evidence-dev/core-components': '5.4.2',
  '@evidence-dev/duckdb': '2.0.1',
  '@evidence-dev/universal-sql': '3.0.1',
  '@sveltejs/kit': '2.8.4',
  '@evidence-dev/sdk': '4.0.2',
  '@duckdb/duckdb-wasm': '1.32.0',
  'parquet-wasm': '0.5.0',
  '@duckdb/node-api': '1.4.5-r.1',
  typescript: '5.4.2',
  'patch-package': '8.0.1',
};

describe('reports/ install', () => {
  it('is installed (bash scripts/setup-reports.sh)', () => {
    expect(existsSync(join(nodeModules, '.bin', 'evidence')), 'reports/node_modules is missing').toBe(true);
  });

  it('pins the versions the offline patch was written against', () => {
    expect(manifest.dependencies['@evidence-dev/evidence']).toBe('40.1.8');
    expect(manifest.dependencies['@evidence-dev/core-components']).toBe('5.4.2');
    expect(manifest.dependencies['@evidence-dev/duckdb']).toBe('2.0.1');
    expect(manifest.devDependencies.typescript).toBe('5.4.2');
    expect(manifest.devDependencies['patch-package']).toBe('8.0.1');
    expect(manifest.overrides['@duckdb/node-api']).toBe('1.4.5-r.1');
    expect(manifest.scripts.postinstall).toMatch(/^patch-package\b/);
    for (const [pkg, version] of Object.entries(PINNED)) {
      expect(lock.packages[`node_modules/${pkg}`]?.version, `package-lock.json: ${pkg}`).toBe(version);
      expect(installedVersion(pkg), `installed ${pkg}`).toBe(version);
    }
  });

  it('has exactly one DuckDB engine for Node: @duckdb/node-api 1.4.5-r.1', () => {
    const copies = Object.entries(lock.packages).filter(([path]) =>
      path.endsWith('node_modules/@duckdb/node-api'),
    );
    expect(copies.map(([path, p]) => `${path}@${p.version}`)).toEqual([
      'node_modules/@duckdb/node-api@1.4.5-r.1',
    ]);
  });

  it('keeps one patch per patched package, named for the pinned version', () => {
    const patches = readdirSync(join(reportsDir, 'patches')).filter((f) => f.endsWith('.patch'));
    expect(patches.sort()).toEqual(
      Object.keys(PATCHED_FILES)
        .map((pkg) => `${pkg.replace('/', '+')}+${PINNED[pkg]}.patch`)
        .sort(),
    );
  });

  it('has the offline patch applied to every patched file', () => {
    for (const [pkg, files] of Object.entries(PATCHED_FILES)) {
      for (const file of files) {
        const text = readFileSync(join(nodeModules, pkg, file), 'utf8');
        expect(text, `${pkg}/${file} is not patched`).toContain('rcm-offline-patch');
      }
    }
    const usql = join(nodeModules, '@evidence-dev/universal-sql/src');
    for (const file of ['build-parquet.js', 'client-duckdb/node.js', 'client-duckdb/browser.js']) {
      expect(readFileSync(join(usql, file), 'utf8'), file).not.toMatch(/read_parquet\s*\(/);
    }
    expect(readFileSync(join(usql, 'client-duckdb/browser.js'), 'utf8')).toContain(
      'insertArrowFromIPCStream',
    );
  });

  it('is reported as applied by patch-package itself', () => {
    const r = spawnSync(join(nodeModules, '.bin', 'patch-package'), ['--error-on-fail'], {
      cwd: reportsDir,
      encoding: 'utf8',
    });
    const out = `${r.stdout}\n${r.stderr}`;
    expect(r.status, out).toBe(0);
    expect(out).toContain('@evidence-dev/universal-sql@3.0.1 ✔');
    expect(out).toContain('@evidence-dev/core-components@5.4.2 ✔');
  });
});
