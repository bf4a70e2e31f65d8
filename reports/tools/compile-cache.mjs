// Reuses Evidence's compiled site when nothing the compile reads has changed, so a build whose data alone changed
// runs only the prerender and the adapter (scripts/build-reports.sh; reports/README.md, "The compile cache").
//
//   node tools/compile-cache.mjs key <work> <repo>        prints the compile key of the build copy <work>
//   node tools/compile-cache.mjs save <work> <entry>      keeps <work>'s compiled bundles as the cache entry <entry>
//   node tools/compile-cache.mjs build <work> <entry>     builds <work>/build from <entry> and <work>'s data;
//                                                         exit 3: the entry cannot be used (the caller compiles)
//
// `evidence build` copies its template to .evidence/template and runs `vite build` there. SvelteKit's Vite plugin
// builds the server bundle, then (in the server build's writeBundle) the client bundle, then prerenders every page
// and runs the adapter. Only the bundles are costly to make (≈ 60 % of the demo build), and they do not depend on
// the data: pages read the source data (static/data) at prerender time and in the browser. Vite copies static/
// into the client output, and SvelteKit lists static/'s files in its server manifest; both are redone here from
// the new data. `build` repeats what follows the client bundle in SvelteKit 2.8.4's writeBundle (analyse,
// manifest, prerender, adapter) through that version's own modules, then Evidence's step after `vite build`
// (content-hashed data folders, copy to build/), and refuses unless the installed versions are the ones this
// driver follows and the manifest it regenerates is byte for byte the one the compile wrote.
import { createHash } from 'node:crypto';
import {
  cpSync,
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

// The versions whose internals `build` calls and whose CLI steps it repeats.
const PINNED = { '@sveltejs/kit': '2.8.4', '@evidence-dev/evidence': '40.1.8', '@sveltejs/adapter-static': '3.0.1' };
// Raised with each change to what an entry holds or how `build` uses it, so older entries miss.
const FORMAT = 1;

const [command, work, arg] = process.argv.slice(2);
if (!command || !work || !arg) {
  console.error('usage: node tools/compile-cache.mjs key <work> <repo> | save <work> <entry> | build <work> <entry>');
  process.exit(2);
}
const template = path.join(work, '.evidence/template');
const output = path.join(template, '.svelte-kit/output');

/** Files under `dir`, relative to it, sorted; [] when it does not exist. */
function files(dir, rel = '') {
  const at = path.join(dir, rel);
  if (!existsSync(at)) return [];
  if (!statSync(at).isDirectory()) return [rel];
  return readdirSync(at)
    .sort()
    .flatMap((name) => files(dir, rel === '' ? name : path.join(rel, name)));
}

function installedVersion(name) {
  return JSON.parse(readFileSync(path.join(work, 'node_modules', name, 'package.json'), 'utf8')).version;
}

/**
 * What the compile reads: the pages, partials and config of the build copy, the installed packages (the lock
 * files and the patched files), the build script, this driver, Node and the environment Vite and Evidence read.
 * The source queries count by name only: their files' names are the data files' names SvelteKit lists.
 */
function key(repo) {
  const hash = createHash('sha256');
  const add = (label, content) => {
    hash.update(`${label}\0${content.length}\0`);
    hash.update(content);
  };
  add('format', String(FORMAT));
  for (const dir of ['pages', 'partials', 'components', 'queries']) {
    for (const f of files(work, dir)) add(`work/${f}`, readFileSync(path.join(work, f)));
  }
  for (const f of ['evidence.config.yaml', 'evidence.settings.json', 'package.json', 'app.css', 'svelte.config.js']) {
    const p = path.join(work, f);
    add(`work/${f}`, existsSync(p) ? readFileSync(p) : '(none)');
  }
  add('source queries', files(work, 'sources').join('\n'));
  const reports = path.join(repo, 'reports');
  const patches = files(reports, 'patches');
  for (const f of [
    'reports/package-lock.json',
    'reports/node_modules/.package-lock.json',
    'scripts/build-reports.sh',
    'reports/tools/compile-cache.mjs',
    'reports/tools/page-reuse.mjs',
    'reports/tools/prerender-shards.mjs',
    'reports/tools/reuse-record.mjs',
    'reports/tools/source-slices.mjs',
    ...patches.map((p) => `reports/${p}`),
  ]) {
    add(f, readFileSync(path.join(repo, f)));
  }
  // The patched files as installed: a hand edit in node_modules not yet written back to a patch misses too.
  for (const p of patches) {
    const patch = readFileSync(path.join(reports, p), 'utf8');
    for (const [, file] of patch.matchAll(/^\+\+\+ b\/(node_modules\/\S+)$/gm)) {
      const installed = path.join(reports, file);
      add(file, existsSync(installed) ? readFileSync(installed) : '(none)');
    }
  }
  add('node', `${process.version} ${process.platform} ${process.arch}`);
  const env = Object.keys(process.env)
    .filter((k) => /^(VITE_|EVIDENCE_)/.test(k) || k === 'NODE_ENV')
    .sort()
    .map((k) => `${k}=${process.env[k]}`);
  add('env', env.join('\n'));
  return hash.digest('hex');
}

/** Keeps the compiled bundles: SvelteKit's server and client output, less the copy of static/data (the data). */
function save(entry) {
  for (const side of ['server', 'client']) {
    if (!existsSync(path.join(output, side))) throw new Error(`no ${side} output in ${output}`);
  }
  const tmp = `${entry}.tmp-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  mkdirSync(tmp, { recursive: true });
  cpSync(path.join(output, 'server'), path.join(tmp, 'server'), { recursive: true });
  const dataDir = path.join(output, 'client', 'data');
  cpSync(path.join(output, 'client'), path.join(tmp, 'client'), {
    recursive: true,
    filter: (src) => src !== dataDir,
  });
  writeFileSync(path.join(tmp, 'versions.json'), JSON.stringify(pinnedInstalled()));
  rmSync(entry, { recursive: true, force: true });
  renameSync(tmp, entry);
}

function pinnedInstalled() {
  return Object.fromEntries(Object.keys(PINNED).map((name) => [name, installedVersion(name)]));
}

function refuse(why) {
  console.error(`[reports] compile cache not used: ${why}`);
  process.exit(3);
}

/** Evidence's `populateTemplate` and the copies its file watcher makes at the start of `evidence build`. */
function populateTemplate() {
  const keep = new Set(['.profile.json', 'static', '.evidence-queries']);
  mkdirSync(template, { recursive: true });
  rmSync(path.join(template, '.evidence-queries/cache'), { recursive: true, force: true });
  for (const name of readdirSync(template)) {
    if (!keep.has(name)) rmSync(path.join(template, name), { recursive: true, force: true });
  }
  cpSync(path.join(work, 'node_modules/@evidence-dev/evidence/template'), template, { recursive: true });
  // The watcher's patterns: pages become SvelteKit routes (x.md -> x/+page.md, index.md -> +page.md).
  const ignoredPages = /^(explore|settings|api)(\/|\.|$)/;
  for (const f of files(path.join(work, 'pages'))) {
    if (ignoredPages.test(f)) continue;
    let target = f;
    if (f.endsWith('index.md')) target = f.replace(/index\.md$/, '+page.md');
    else if (f.endsWith('.md')) target = f.replace(/\.md$/, '/+page.md');
    const dest = path.join(template, 'src/pages', target);
    mkdirSync(path.dirname(dest), { recursive: true });
    cpSync(path.join(work, 'pages', f), dest);
  }
  for (const [from, to] of [
    ['static', 'static'],
    ['sources', 'sources'],
    ['queries', 'queries'],
    ['components', 'src/components'],
    ['partials', 'partials'],
  ]) {
    if (existsSync(path.join(work, from)))
      cpSync(path.join(work, from), path.join(template, to), { recursive: true });
  }
  if (existsSync(path.join(work, 'app.css'))) cpSync(path.join(work, 'app.css'), path.join(template, 'src/app.css'));
}

/**
 * Evidence's step after `vite build`: each data file moves into a folder named for its MD5, then build/ is copied
 * to the project's build/. Moved here instead, when it can be: nothing reads the template's copy again, and
 * copying a 50-practice site (1.5 GB in 35,000 files) took seconds of every build.
 */
function evidenceAfterBuild() {
  const buildData = path.join(template, 'build', 'data');
  const manifestFile = path.join(buildData, 'manifest.json');
  if (existsSync(manifestFile)) {
    const manifest = JSON.parse(readFileSync(manifestFile, 'utf8'));
    for (const list of Object.values(manifest.renderedFiles)) {
      for (let i = 0; i < list.length; i++) {
        const diskParts = list[i].split('/').slice(-3).join('/');
        const file = path.posix.join(buildData, diskParts);
        if (!existsSync(file)) continue;
        const md5 = createHash('md5').update(readFileSync(file)).digest('hex');
        const moved = path.posix.join(path.dirname(diskParts), md5, path.basename(diskParts));
        mkdirSync(path.dirname(path.join(buildData, moved)), { recursive: true });
        renameSync(file, path.join(buildData, moved));
        list[i] = list[i].replace(diskParts, moved);
      }
    }
    writeFileSync(manifestFile, JSON.stringify(manifest));
  }
  moveOrCopy(path.join(template, 'build'), path.join(work, 'build'));
}

/** `from` renamed to `to`; copied, as Evidence does, where `to` exists already or is on another file system. */
function moveOrCopy(from, to) {
  if (!existsSync(to)) {
    try {
      renameSync(from, to);
      return;
    } catch (error) {
      if (/** @type {NodeJS.ErrnoException} */ (error).code !== 'EXDEV') throw error;
    }
  }
  cpSync(from, to, { recursive: true });
}

async function build(entry) {
  for (const [name, version] of Object.entries(PINNED)) {
    const installed = installedVersion(name);
    if (installed !== version) refuse(`${name} ${installed} installed; this driver follows ${version}`);
  }
  const versions = path.join(entry, 'versions.json');
  if (!existsSync(versions) || readFileSync(versions, 'utf8') !== JSON.stringify(pinnedInstalled()))
    refuse(`entry ${entry} is incomplete or from other versions`);
  if (!existsSync(path.join(template, 'static/data/manifest.json'))) refuse('no source data in the build copy');

  populateTemplate();
  // What `evidence build:strict` sets for `vite build`.
  process.env.EVIDENCE_STRICT_MODE = 'true';
  process.env.EVIDENCE_DATA_URL_PREFIX ??= 'static/data';
  process.env.EVIDENCE_DATA_DIR ??= './static/data';
  process.env.EVIDENCE_IS_BUILDING = 'true';
  process.chdir(template);

  const kitDir = path.join(work, 'node_modules/@sveltejs/kit/src');
  const kitModule = (p) => import(pathToFileURL(path.join(kitDir, p)).href);
  const { load_config } = await kitModule('core/config/index.js');
  const sync = await kitModule('core/sync/sync.js');
  const { generate_manifest } = await kitModule('core/generate_manifest/index.js');
  const { logger } = await kitModule('core/utils.js');
  const { get_env } = await kitModule('exports/vite/utils.js');
  const { resolve_entry } = await kitModule('utils/filesystem.js');
  const analyse = (await kitModule('core/postbuild/analyse.js')).default;
  const prerender = (await kitModule('core/postbuild/prerender.js')).default;
  const { adapt } = await kitModule('core/adapt/index.js');

  const mode = 'production';
  const svelte_config = await load_config();
  const { kit } = svelte_config;
  if (resolve_entry(kit.files.serviceWorker)) refuse('a service worker is built with the site');
  const out = `${kit.outDir}/output`;
  if (path.resolve(out) !== output) refuse(`SvelteKit's output is ${out}`);

  // The compiled bundles, then static/ as Vite's copyPublicDir leaves it in the client output.
  rmSync(output, { recursive: true, force: true });
  mkdirSync(output, { recursive: true });
  cpSync(path.join(entry, 'server'), path.join(output, 'server'), { recursive: true });
  cpSync(path.join(entry, 'client'), path.join(output, 'client'), { recursive: true });
  cpSync(kit.files.assets, path.join(output, 'client'), { recursive: true });

  const { manifest_data } = sync.all(svelte_config, mode);
  const env = get_env(kit.env, mode);
  const server_manifest = JSON.parse(readFileSync(`${out}/server/.vite/manifest.json`, 'utf8'));
  const manifest_path = `${out}/server/manifest-full.js`;
  const compiled = readFileSync(manifest_path, 'utf8');
  const { manifest: compiledManifest } = await import(pathToFileURL(path.resolve(manifest_path)).href);
  const build_data = {
    app_dir: kit.appDir,
    app_path: `${kit.paths.base.slice(1)}${kit.paths.base ? '/' : ''}${kit.appDir}`,
    manifest_data,
    out_dir: out,
    service_worker: null,
    client: compiledManifest._.client,
    server_manifest,
  };
  const manifestFor = (routes) =>
    `export const manifest = ${generate_manifest({ build_data, relative_path: '.', routes })};\n`;
  // Same routes, nodes, client entry and static files (the data files' names included) as the compile saw.
  if (manifestFor(manifest_data.routes) !== compiled)
    refuse('the routes or static files differ from those the bundles were compiled with');
  rmSync(path.join(template, 'build'), { recursive: true, force: true });

  const allEnv = { ...env.private, ...env.public };
  // No tracked features: SvelteKit collects them while bundling, for adapters that declare `supports` (not
  // adapter-static), and Evidence's pages use none.
  const metadata = await analyse({ manifest_path, manifest_data, server_manifest, tracked_features: {}, env: allEnv });
  const { prerendered, prerender_map } = await prerender({ out, manifest_path, metadata, verbose: false, env: allEnv });
  writeFileSync(
    `${out}/server/manifest.js`,
    manifestFor(manifest_data.routes.filter((route) => prerender_map.get(route.id) !== true)),
  );
  await adapt(svelte_config, build_data, metadata, prerendered, prerender_map, logger({ verbose: false }), { mode });
  evidenceAfterBuild();
}

if (command === 'key') console.log(key(arg));
else if (command === 'save') save(arg);
else if (command === 'build') {
  if (!existsSync(arg)) refuse(`no entry ${arg}`);
  await build(arg);
} else {
  console.error(`unknown command ${command}`);
  process.exit(2);
}
