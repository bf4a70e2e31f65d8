// The record a prerender leaves for the next build's page reuse (page-reuse.mjs), and the line that says what it
// kept. Apart from page-reuse.mjs so that the joining of a sharded prerender's records (prerender-shards.mjs) runs
// without loading the query engine.
//
// The record travels in the site it describes (RECORD): a header line, then one line per page, its path, a tab, and
// the page's record as gzip'd JSON in base64. A prerender in shards writes a part per shard, joined once all end.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';

export const RECORD = 'api/rcm-prerender-record.txt';
export const SLICES = 'api/rcm-source-slices.json';

/** Where shard `index` writes its part of the record `file`. */
export const shardPart = (file, index) => `${file}.shard-${index}`;

/**
 * Writes a record: its header line, then each page's line.
 * @param {string} file
 * @param {string} head
 * @param {Iterable<[string, string]>} pages
 */
export function writeRecord(file, head, pages) {
  mkdirSync(path.dirname(file), { recursive: true });
  const lines = [head];
  for (const [decoded, text] of pages) lines.push(`${decoded}\t${text}`);
  writeFileSync(file, `${lines.join('\n')}\n`);
}

/**
 * @typedef {{ kept: number, reasons: [string, number][], verify: boolean,
 *   counts: { bySlices: number, run: number, planned: number, contradicted: number } }} ReuseSummary
 */

/** @param {ReuseSummary} summary */
export function summaryLine({ kept, reasons, counts, verify }) {
  const why = reasons.map(([reason, pages]) => `${pages} ${reason}`).join(', ');
  const checks =
    `${counts.bySlices} row queries kept by their slices, ${counts.run} run, ${counts.planned} plans read` +
    (verify ? `, ${counts.contradicted} slice checks contradicted by a run` : '');
  return `[reports] pages kept from the previous build: ${kept} (${checks}); rendered: ${why || 'none'}`;
}

/**
 * Joins the parts the shards of a prerender wrote into the record under `dir`, and adds up what they kept. Every
 * part starts with the same header (the compile key and version); a page is in one part only, its shard's.
 * @param {string} dir
 * @param {ReuseSummary[]} summaries one per shard, in shard order
 * @returns {ReuseSummary}
 */
export function joinShardRecords(dir, summaries) {
  const file = path.join(dir, RECORD);
  let head = null;
  const pages = [];
  for (const index of summaries.keys()) {
    const part = shardPart(file, index);
    if (!existsSync(part)) throw new Error(`shard ${index} left no record part ${part}`);
    const [first, ...lines] = readFileSync(part, 'utf8').split('\n');
    if (head !== null && first !== head) throw new Error(`shard ${index} recorded under another header`);
    head = first;
    for (const line of lines) {
      const tab = line.indexOf('\t');
      if (tab > 0) pages.push([line.slice(0, tab), line.slice(tab + 1)]);
    }
  }
  writeRecord(file, head ?? '', pages);
  for (const index of summaries.keys()) rmSync(shardPart(file, index), { force: true });
  const reasons = new Map();
  const counts = { bySlices: 0, run: 0, planned: 0, contradicted: 0 };
  let kept = 0;
  for (const summary of summaries) {
    kept += summary.kept;
    for (const [reason, n] of summary.reasons) reasons.set(reason, (reasons.get(reason) ?? 0) + n);
    for (const name of Object.keys(counts)) counts[name] += summary.counts[name];
  }
  return { kept, reasons: [...reasons], counts, verify: summaries.some((s) => s.verify) };
}
