// Prerenders the site in several workers at once, one per core, instead of one. Loaded by SvelteKit's prerender (the
// offline patch, patches/@sveltejs+kit+2.8.4.patch) when scripts/build-reports.sh names this file in
// RCM_PRERENDER_SHARDS. A prerender is one thread: duckdb-wasm runs every query on it, and the page renders beside
// it, so a second core stood idle through most of a report build.
//
// How the pages are shared: every shard crawls the site from the same entry pages, in the same order. A page is
// rendered (or kept, page-reuse.mjs) by the shard that claims it first, a file created in a folder all shards share
// (`wx`: exactly one creation succeeds), and skipped by the others. A page's links are found by rendering it, so a
// shard learns only the links of the pages it rendered; to give every shard pages to claim, the entry pages (the
// routes without parameters) are also rendered by the shards that did not claim them, for their links, with nothing
// of them saved. Every page reachable from the entries is still rendered: a page is claimed by whichever shard
// finds it first, and the shard that rendered the page linking to it does find it. The shards return what they
// prerendered; the checks SvelteKit makes at the end of a prerender (a route marked prerenderable that was never
// reached, a link to an element id a page lacks) run here on all of it, and page reuse's record is joined.
//
//   RCM_PRERENDER_SHARDS       this file
//   RCM_PRERENDER_SHARD_COUNT  how many shards (default: the cores, at most MAX_SHARDS); 1 prerenders as stock
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { joinShardRecords, summaryLine } from './reuse-record.mjs';

/** More shards than this holds more copies of the source tables (one duckdb-wasm each) for little gain. */
const MAX_SHARDS = 4;
/** Fragments SvelteKit takes for the top of a page, never a missing id. */
const SPECIAL_HASHLINKS = new Set(['', 'top']);

/** @param {Record<string, string | undefined>} env */
export function shardCount(env = process.env) {
  const asked = env.RCM_PRERENDER_SHARD_COUNT;
  if (asked === undefined || asked === '') return Math.max(1, Math.min(os.availableParallelism(), MAX_SHARDS));
  const count = Number(asked);
  if (!Number.isInteger(count) || count < 1) throw new Error(`RCM_PRERENDER_SHARD_COUNT must be a whole number ≥ 1, not ${asked}`);
  return count;
}

/**
 * Runs SvelteKit's prerender (`run`, one worker each call) in shards and returns what one prerender would.
 * @param {(opts: object) => Promise<any>} run
 * @param {{ out: string }} opts
 */
export async function prerender(run, opts) {
  const count = shardCount();
  if (count === 1) return run(opts);
  const claims = mkdtempSync(path.join(os.tmpdir(), 'rcm-prerender-claims-'));
  try {
    const results = await Promise.all(
      Array.from({ length: count }, (_, index) => run({ ...opts, shard: { index, count, claims } })),
    );
    const joined = joinShards(results);
    const pages = results.map((r) => r.prerendered.pages.size).join(', ');
    console.log(`[reports] prerendered in ${count} shards, pages saved by each: ${pages}`);
    const summaries = results.map((r) => r.shard.reuse).filter(Boolean);
    if (summaries.length === count) {
      console.log(summaryLine(joinShardRecords(path.join(opts.out, 'prerendered/dependencies'), summaries)));
    }
    return joined;
  } finally {
    rmSync(claims, { recursive: true, force: true });
  }
}

/** A route's prerender option as a shard left it: a page's fetches only ever raise it to true or 'auto'. */
const rank = (value) => (value === 'auto' ? 2 : value === true ? 1 : 0);

/**
 * One prerender's result from the shards': the pages, assets and redirects of all, each route's prerender option
 * as the shard that raised it most left it, and SvelteKit's two closing checks on the whole.
 * @param {{ prerendered: any, prerender_map: Map<string, boolean | 'auto'>, shard: any }[]} results
 */
export function joinShards(results) {
  const prerendered = { pages: new Map(), assets: new Map(), redirects: new Map(), paths: [] };
  const paths = new Set();
  /** @type {Map<string, boolean | 'auto'>} */
  const prerender_map = new Map();
  const routes = new Set();
  /** @type {Map<string, Set<string>>} */
  const expected = new Map();
  /** @type {Map<string, Set<string>>} */
  const actual = new Map();
  for (const { prerendered: part, prerender_map: map, shard } of results) {
    for (const kind of ['pages', 'assets', 'redirects']) {
      for (const [key, value] of part[kind]) if (!prerendered[kind].has(key)) prerendered[kind].set(key, value);
    }
    for (const p of part.paths) {
      if (!paths.has(p)) prerendered.paths.push(p);
      paths.add(p);
    }
    for (const [id, value] of map) {
      if (!prerender_map.has(id) || rank(value) > rank(prerender_map.get(id))) prerender_map.set(id, value);
    }
    for (const id of shard.prerendered_routes) routes.add(id);
    for (const [key, referrers] of shard.expected_hashlinks) {
      if (!expected.has(key)) expected.set(key, new Set());
      for (const r of referrers) expected.get(key).add(r);
    }
    for (const [page, ids] of shard.actual_hashlinks) {
      if (!actual.has(page)) actual.set(page, new Set());
      for (const id of ids) actual.get(page).add(id);
    }
  }

  const handling = results[0]?.shard.handle_missing_id ?? 'fail';
  for (const [key, referrers] of expected) {
    const index = key.indexOf('#');
    const page = key.slice(0, index);
    const id = key.slice(index + 1);
    const ids = actual.get(page);
    // As SvelteKit: a fragment link to a page that was not prerendered is not checked.
    if (!ids || ids.has(id) || SPECIAL_HASHLINKS.has(id)) continue;
    const message =
      `The following pages contain links to ${page}#${id}, but no element with id="${id}" exists on ${page}:` +
      [...referrers].map((r) => `\n  - ${r}`).join('');
    if (handling === 'fail') throw new Error(message);
    if (handling === 'warn') console.error(message);
  }

  const unreached = [...prerender_map].filter(([id, value]) => value === true && !routes.has(id)).map(([id]) => id);
  if (unreached.length > 0) {
    throw new Error(
      `The following routes were marked as prerenderable, but were not prerendered because they were not found while crawling your app:\n${unreached.map((id) => `  - ${id}`).join('\n')}`,
    );
  }
  return { prerendered, prerender_map };
}
