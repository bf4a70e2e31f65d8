// Keeps a page of the previous build instead of rendering it again, when every query the page ran returns, on this
// build's data, the very bytes it returned then. Loaded by SvelteKit's prerender (the offline patch,
// patches/@sveltejs+kit+2.8.4.patch) when scripts/build-reports.sh names this file in RCM_PRERENDER_REUSE.
//
// Why it is sound: a prerendered page is a function of the compiled pages (the compile key) and its queries'
// results. Its filters take their defaults from queries too, and a query that reads a filter is a different SQL
// text per filter value, so "the same results for every query it ran" means the same render, down to which
// queries it runs. The pages read no clock. What a render leaves besides its HTML is written here as the render
// wrote it: its query lists (all-queries.json) and the result files they name (written as the queries run again).
// The route-wide files a page fetches (evidencemeta.json and the like) are not kept: a page is kept only once a
// page rendered in this build has fetched them.
//
// A query need not run again when none of the rows it reads changed: DuckDB's plan of the query says which slices
// of the source tables (a practice, a month) it reads, and write-sources.mjs digests every slice of this build's
// data (tools/source-slices.mjs). A query so proven keeps the previous build's result file, as the columns and the
// row count of a query with the same rows do. A query's slices are read from its plan once, the first time its page
// is kept, and travel with the page's record; a page rendered again starts without them.
//
//   RCM_PRERENDER_REUSE     this file
//   RCM_PRERENDER_KEY       the compile key; a record made under another key is not used
//   RCM_PRERENDER_PREVIOUS  the previous site (its record, its slices and HTML), if any
//   RCM_PRERENDER_SLICES    this build's slices file (write-sources.mjs)
//   RCM_PRERENDER_VERIFY_SLICES  "1": a query proven unchanged by its slices is run too, and a disagreement is
//                           reported (the page test builds this way)
//
// The record travels in the site it describes (reuse-record.mjs): one line per page, its path, a tab, and the page's
// record as gzip'd JSON in base64. A prerender in shards (prerender-shards.mjs) runs a copy of this module in each
// shard, each keeping or rendering the pages its shard claimed; their records are joined when all have ended.
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync, gzipSync } from 'node:zlib';
import {
  prerender_keep_result,
  prerender_record_start,
  prerender_record_take,
  prerender_restore_list,
  prerenderQueryPlan,
  prerenderResultHash,
} from '@evidence-dev/universal-sql/client-duckdb';
import { RECORD, SLICES, shardPart, summaryLine, writeRecord } from './reuse-record.mjs';
import { bindingOfPlan, indexSlices, unchangedSlices } from './source-slices.mjs';
// Raised with each change to what a record's fields mean. A field that older records lack (a page's `bindings`) is
// read as absent.
const FORMAT = 2;
const KEEP_HEADERS = ['content-type', 'x-sveltekit-routeid'];

const key = process.env.RCM_PRERENDER_KEY ?? '';
const previousSite = process.env.RCM_PRERENDER_PREVIOUS ?? '';
const slicesFile = process.env.RCM_PRERENDER_SLICES ?? '';
const verifySlices = process.env.RCM_PRERENDER_VERIFY_SLICES === '1';

/** @type {Map<string, string>} path -> the page's record as the record file holds it (read by `open`) */
let previous = new Map();
/** The compiled site's version stamp: a compile makes a new one, which the HTML of its pages names. */
let version = '';
/** @type {Map<string, string>} this build's record */
const next = new Map();
let keptPages = 0;
/** Why pages were rendered: reason -> pages. */
const reasons = new Map();
/** This build's slices (the text, copied into the site) and both builds' indexed. */
let slicesText = '';
let slicesNow = new Map();
let slicesBefore = new Map();
/** What the checks did: queries kept by their slices, queries run, plans read, slice proofs a run contradicted. */
const counts = { bySlices: 0, run: 0, planned: 0, contradicted: 0 };

/**
 * Why the address being checked is rendered, counted once its render shows a page (`rendered`): a link without
 * its trailing slash is checked too, finds no record, and is answered by a redirect.
 * @type {string | null}
 */
let pending = null;
/** What is said of the addresses rendered that answered with something other than a page. */
const NOT_A_PAGE = 'redirects (not pages)';

function render(reason) {
  pending = reason;
  return null;
}

/**
 * Before the first page: the compiled site's `_app/version.json`. A record counts only under the same compile key
 * and the same compile: a compile redone for the same key (no cache entry, or a hit that fell back to compiling)
 * stamps a new version, and a kept page would name the previous compile's files.
 * @param {string} compiledVersion
 */
export function open(compiledVersion) {
  version = compiledVersion;
  previous = readRecord();
  slicesText = slicesFile && existsSync(slicesFile) ? readFileSync(slicesFile, 'utf8') : '';
  slicesNow = readSlices(slicesText);
  const before = previousSite ? path.join(previousSite, SLICES) : '';
  slicesBefore = previous.size > 0 && before && existsSync(before) ? readSlices(readFileSync(before, 'utf8')) : new Map();
}

function readSlices(text) {
  try {
    return text ? indexSlices(JSON.parse(text)) : new Map();
  } catch {
    return new Map();
  }
}

const header = () => JSON.stringify({ format: FORMAT, key, version });

function readRecord() {
  const pages = new Map();
  if (!key || !previousSite || !version) return pages;
  const file = path.join(previousSite, RECORD);
  if (!existsSync(file)) return pages;
  const [head, ...lines] = readFileSync(file, 'utf8').split('\n');
  if (head !== header()) return pages;
  for (const line of lines) {
    const tab = line.indexOf('\t');
    if (tab > 0) pages.set(line.slice(0, tab), line.slice(tab + 1));
  }
  return pages;
}

const encode = (page) => gzipSync(JSON.stringify(page)).toString('base64');
const decode = (text) => JSON.parse(gunzipSync(Buffer.from(text, 'base64')).toString('utf8'));

/**
 * The previous build's page at `decoded` (file `file` of the site), or null when it must be rendered: no record,
 * a route-wide file it fetched not yet written by this build, a query whose result changed, or no HTML.
 * With `record` false (a shard reading an entry page another shard saves, for its links) the answer is the same,
 * but nothing of the page enters this build's record, its counts or its query lists.
 * @param {string} decoded
 * @param {string} file
 * @param {(file: string) => boolean} written
 * @param {boolean} [record]
 */
export function kept(decoded, file, written, record = true) {
  if (record) return keptPage(decoded, file, written, true);
  const before = { ...counts };
  try {
    return keptPage(decoded, file, written, false);
  } finally {
    // The reason it would be rendered for is counted only by the shard that renders it (`rendered`).
    Object.assign(counts, before);
    pending = null;
  }
}

function keptPage(decoded, file, written, record) {
  const text = previous.get(decoded);
  if (text === undefined) return render('no record');
  let page;
  let line = text;
  try {
    page = decode(text);
    if (!page.fetched.every((f) => f === file || written(f))) return render('first of its route');
    if (!sameResults(page)) return render('data changed');
    for (const [, json] of page.lists) JSON.parse(json);
    if (bindMissing(page)) line = encode(page);
  } catch (error) {
    // A query that fails now, or a damaged record: the render runs the page's queries and fails the build with the
    // page's own message if they fail there too.
    console.warn(`[reports] ${decoded}: not kept (${error}); rendering the page`);
    return render('check failed');
  }
  const html = path.join(previousSite, file);
  if (!existsSync(html)) return render('no record');
  const body = readFileSync(html);
  if (!record) return { body, headers: page.headers };
  for (const [list, json] of page.lists) prerender_restore_list(list, json);
  next.set(decoded, line);
  keptPages++;
  return { body, headers: page.headers };
}

/**
 * Whether every recorded query returns its recorded result. Evidence asks each query three times: its rows
 * (`---- Data <name> <id>` then the SQL), its columns (`DESCRIBE <the same SQL>`) and its row count (`SELECT COUNT(*)
 * … FROM (<the same SQL>)`). The columns and the count follow from the rows, whose bytes carry the columns' types:
 * once the rows are the same, those two keep the previous build's results (their files copied) instead of running,
 * which would cost about as much as the rows themselves. The rows are the same without running when none of the
 * slices their plan reads changed.
 * @param {{ queries: [string, string][], bindings?: (unknown[] | false | null)[] }} page
 */
function sameResults({ queries, bindings = [] }) {
  const sameRows = new Set();
  const derived = [];
  for (const [i, [sql, hash]] of queries.entries()) {
    const asked = EVIDENCE_QUERY.exec(sql);
    if (asked && asked[1] !== 'Data') {
      derived.push([sql, hash, asked]);
      continue;
    }
    if (!keptBySlices(sql, hash, bindings[i])) {
      counts.run++;
      if (prerenderResultHash(sql) !== hash) return false;
    }
    if (asked) sameRows.add(asked[2].trimEnd());
  }
  for (const [sql, hash, [, kind, body]] of derived) {
    const of = (kind === 'Columns' ? /^DESCRIBE ([\s\S]*)$/ : /^SELECT COUNT\(\*\) as rowCount FROM \(([\s\S]*)\)\s*$/).exec(
      body,
    )?.[1];
    if (of !== undefined && sameRows.has(of.trimEnd()) && prerender_keep_result(sql, hash, resultFile(hash))) continue;
    if (prerenderResultHash(sql) !== hash) return false;
  }
  return true;
}

const resultFile = (hash) => path.join(previousSite, 'api/prerendered_queries', `${hash}.arrow`);

/**
 * Keeps a query's previous result without running it, when its binding shows that none of the slices it reads
 * changed. False when it must run: no binding, a slice changed, or this build already ran it to another result.
 * @param {string} sql
 * @param {string} hash
 * @param {unknown[] | false | null | undefined} binding
 */
function keptBySlices(sql, hash, binding) {
  if (!Array.isArray(binding) || !unchangedSlices(binding, slicesBefore, slicesNow)) return false;
  // Verifying: the query runs anyway; a different result is reported and decides, as it would unverified.
  if (verifySlices && prerenderResultHash(sql) !== hash) {
    counts.contradicted++;
    console.warn(`[reports] slices said unchanged, the result changed: ${sql.split('\n', 1)[0]}`);
    return false;
  }
  if (!prerender_keep_result(sql, hash, resultFile(hash))) return false;
  counts.bySlices++;
  return true;
}

/**
 * Reads from DuckDB's plan the slices each of a kept page's row queries reads, where its record has none yet (the
 * page was rendered by the previous build). True when the record gained any.
 * @param {{ queries: [string, string][], bindings?: (unknown[] | false | null)[] }} page
 */
function bindMissing(page) {
  if (slicesNow.size === 0) return false;
  const bindings = page.bindings ?? [];
  let added = false;
  for (const [i, [sql]] of page.queries.entries()) {
    if (bindings[i] != null || !sql.startsWith('---- Data ')) continue;
    let plan = '';
    try {
      plan = prerenderQueryPlan(sql);
    } catch {
      // no plan: the query stays unbound and runs in each check
    }
    counts.planned++;
    bindings[i] = bindingOfPlan(plan, slicesNow) ?? false;
    added = true;
  }
  page.bindings = bindings;
  return added;
}

/** Evidence's header line on each query it runs: what it asks (rows, columns, row count), then the SQL. */
const EVIDENCE_QUERY = /^---- (Data|Columns|Length) [^\n]*\n([\s\S]*)$/;

/** Before a page is rendered: its queries are recorded from here on. */
export function start() {
  prerender_record_start();
}

/**
 * After a page is rendered: its record, if it is a page (a redirect is rendered each time; it costs nothing).
 * @param {string} decoded
 * @param {number} status
 * @param {Record<string, string>} headers
 * @param {string[]} fetched
 */
export function rendered(decoded, status, headers, fetched) {
  const { queries, lists, failed } = prerender_record_take();
  const page = status === 200 && headers['content-type'] === 'text/html';
  if (pending !== null) {
    const reason = page ? pending : NOT_A_PAGE;
    reasons.set(reason, (reasons.get(reason) ?? 0) + 1);
    pending = null;
  }
  if (!page || /[\t\n]/.test(decoded)) return;
  // A query that failed left no result to compare (a filter shows its error and the build goes on), and a page
  // that recorded no query at all is more likely a record that missed them than a page without data: both are
  // rendered every time.
  if (failed || queries.length === 0) return;
  const keptHeaders = Object.fromEntries(
    KEEP_HEADERS.filter((h) => headers[h] !== undefined).map((h) => [h, headers[h]]),
  );
  next.set(decoded, encode({ headers: keptHeaders, fetched, queries, lists }));
}

/**
 * Writes this build's record where the site's prerendered files go (`dir`), and says what was kept. A shard writes
 * its part of the record and returns what it kept, for prerender-shards.mjs to join and say.
 * @param {string} dir
 * @param {{ index: number } | undefined} shard
 */
export function finish(dir, shard) {
  const file = path.join(dir, RECORD);
  writeRecord(shard ? shardPart(file, shard.index) : file, header(), next);
  if (slicesText && (!shard || shard.index === 0)) writeFileSync(path.join(dir, SLICES), slicesText);
  const summary = { kept: keptPages, reasons: [...reasons], counts: { ...counts }, verify: verifySlices };
  if (shard) return summary;
  console.log(summaryLine(summary));
}
