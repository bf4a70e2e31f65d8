// Every report page is declared as a dbt exposure (models/exposures.yml) whose depends_on holds exactly the marts
// the page reads: the marts named by the report sources (reports/sources/warehouse/*.sql) the page queries.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { repoRoot, reportsDir } from './helpers.ts';

/** The address `rcm serve` gives the site; exposure urls are this plus the page's route. */
const SITE = 'http://127.0.0.1:3000';

interface Exposure {
  name: string;
  type?: string;
  url?: string;
  description?: string;
  owner?: { name?: string; email?: string };
  depends_on?: string[];
}

/** SQL without its comments, so a source named in a comment is not taken for one read. */
const withoutComments = (sql: string): string =>
  sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');

/** A table a query reads, as DuckDB's own parser names it. */
interface TableRead {
  catalog: string;
  schema: string;
  table: string;
}

/**
 * The tables and table functions a query reads, from DuckDB's parse tree (json_serialize_sql): every BASE_TABLE
 * reference with its schema, CTE names included, and every TABLE_FUNCTION (`read_parquet(…)`) as `function:<name>`.
 */
async function queryReads(
  conn: DuckDBConnection,
  sql: string,
): Promise<{ reads: TableRead[]; ctes: Set<string> }> {
  const tree = JSON.parse(
    String((await conn.runAndReadAll('select json_serialize_sql($1::varchar)', [sql])).getRows()[0]?.[0]),
  ) as { error: boolean; error_message?: string };
  if (tree.error) throw new Error(`cannot parse: ${tree.error_message}`);
  const reads: TableRead[] = [];
  const ctes = new Set<string>();
  const walk = (node: unknown): void => {
    if (Array.isArray(node)) {
      for (const item of node) walk(item);
      return;
    }
    if (node === null || typeof node !== 'object') return;
    const o = node as Record<string, unknown>;
    if (o.type === 'BASE_TABLE')
      reads.push({
        catalog: String(o.catalog_name ?? ''),
        schema: String(o.schema_name ?? '').toLowerCase(),
        table: String(o.table_name ?? '').toLowerCase(),
      });
    if (o.type === 'TABLE_FUNCTION') {
      const fn = (o.function as { function_name?: string } | undefined)?.function_name ?? '?';
      reads.push({ catalog: '', schema: 'function', table: fn });
    }
    const map = (o.cte_map as { map?: { key: string }[] } | undefined)?.map;
    for (const entry of map ?? []) ctes.add(entry.key.toLowerCase());
    for (const value of Object.values(o)) walk(value);
  };
  walk(tree);
  return { reads, ctes };
}

/**
 * Report source name -> the marts its query reads, and anything else it reads (another schema, a catalog, a
 * table function, an unqualified name that is none of its CTEs): reports read the `marts` schema only.
 */
async function sourceMarts(
  conn: DuckDBConnection,
  sourcesDir: string,
): Promise<{ marts: Map<string, Set<string>>; other: string[] }> {
  const marts = new Map<string, Set<string>>();
  const other: string[] = [];
  for (const file of readdirSync(sourcesDir).sort()) {
    // initialize.sql is run by the connector before every query; it is not a source
    if (!file.endsWith('.sql') || file === 'initialize.sql') continue;
    const { reads, ctes } = await queryReads(conn, readFileSync(join(sourcesDir, file), 'utf8'));
    const read = new Set<string>();
    for (const r of reads) {
      if (r.catalog === '' && r.schema === 'marts') read.add(r.table);
      else if (r.catalog === '' && r.schema === '' && ctes.has(r.table)) continue;
      else other.push(`${file}: reads ${[r.catalog, r.schema, r.table].filter(Boolean).join('.')}`);
    }
    marts.set(file.slice(0, -'.sql'.length), read);
  }
  return { marts, other };
}

/**
 * The sources a page queries: `warehouse.<source>` inside its ```sql blocks, and `source_freshness` when it reads
 * the site's data/freshness.json, written from that source (reports/tools/write-sources.mjs).
 */
function pageSources(markdown: string): Set<string> {
  const sources = new Set<string>();
  if (markdown.includes("fetch('/data/freshness.json')")) sources.add('source_freshness');
  for (const block of markdown.matchAll(/^```sql[^\n]*\n([\s\S]*?)^```/gm)) {
    for (const m of withoutComments(block[1] as string).matchAll(/\bwarehouse\.([a-z_][a-z0-9_]*)/gi)) {
      sources.add((m[1] as string).toLowerCase());
    }
  }
  return sources;
}

/** reports/pages/owner/[practice]/[month]/index.md -> /owner/<practice>/<month> */
function pageRoute(pageFile: string): string {
  const route = pageFile
    .replace(/\.md$/, '')
    .replace(/(^|\/)index$/, '')
    .replace(/\[([^\]]+)\]/g, '<$1>');
  return `/${route}`;
}

function listPages(dir: string, under = dir): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = join(dir, entry.name);
    if (entry.isDirectory()) return listPages(full, under);
    return entry.name.endsWith('.md') ? [relative(under, full)] : [];
  });
}

const refName = (ref: string): string => {
  const m = /^\s*ref\(\s*['"]([^'"]+)['"]\s*\)\s*$/.exec(ref);
  return m ? (m[1] as string) : `(not a ref: ${ref})`;
};

/**
 * What is wrong between the pages and the exposures, one message each: a page without an exposure (matched by
 * url), an exposure without a page, depends_on other than the marts the page reads, a source a page queries that
 * does not exist or reads no mart, an exposure without type, owner or description.
 */
function exposureProblems(
  pages: Map<string, string>,
  sources: Map<string, Set<string>>,
  exposures: Exposure[],
): string[] {
  const problems: string[] = [];
  const byUrl = new Map<string, Exposure[]>();
  for (const exposure of exposures) {
    const list = byUrl.get(exposure.url ?? '') ?? [];
    list.push(exposure);
    byUrl.set(exposure.url ?? '', list);
  }
  const pageUrls = new Set<string>();
  for (const [page, markdown] of [...pages].sort()) {
    const url = `${SITE}${pageRoute(page)}`;
    pageUrls.add(url);
    const marts = new Set<string>();
    const queried = pageSources(markdown);
    if (queried.size === 0) problems.push(`${page}: queries no report source`);
    for (const source of queried) {
      const read = sources.get(source);
      if (!read)
        problems.push(`${page}: queries warehouse.${source}, which has no sources/warehouse/${source}.sql`);
      else if (read.size === 0) problems.push(`sources/warehouse/${source}.sql reads no marts.<table>`);
      else for (const mart of read) marts.add(mart);
    }
    const matching = byUrl.get(url) ?? [];
    if (matching.length !== 1) {
      problems.push(`${page}: ${matching.length} exposures with url ${url} (one expected)`);
      continue;
    }
    const exposure = matching[0] as Exposure;
    const declared = (exposure.depends_on ?? []).map(refName);
    const expected = [...marts].sort();
    const got = [...new Set(declared)].sort();
    if (declared.length !== got.length) problems.push(`${exposure.name}: depends_on lists a ref twice`);
    if (JSON.stringify(got) !== JSON.stringify(expected)) {
      problems.push(
        `${exposure.name}: depends_on [${got.join(', ')}], the page reads [${expected.join(', ')}]`,
      );
    }
    if (!exposure.description?.includes(`reports/pages/${page}`)) {
      problems.push(`${exposure.name}: description does not name reports/pages/${page}`);
    }
  }
  for (const exposure of exposures) {
    if (!pageUrls.has(exposure.url ?? '')) problems.push(`${exposure.name}: url ${exposure.url} is no page`);
    if (exposure.type !== 'dashboard' && exposure.type !== 'analysis') {
      problems.push(`${exposure.name}: type ${exposure.type} (dashboard or analysis expected)`);
    }
    if (!exposure.owner?.name && !exposure.owner?.email) problems.push(`${exposure.name}: no owner`);
  }
  return problems;
}

const pagesDir = join(reportsDir, 'pages');
const readPages = (): Map<string, string> =>
  new Map(listPages(pagesDir).map((page) => [page, readFileSync(join(pagesDir, page), 'utf8')]));
const readExposures = (): Exposure[] =>
  (parse(readFileSync(join(repoRoot, 'models', 'exposures.yml'), 'utf8')) as { exposures: Exposure[] })
    .exposures;

describe('report pages as dbt exposures', () => {
  const pages = readPages();
  const exposures = readExposures();
  const sourcesDir = join(reportsDir, 'sources', 'warehouse');
  let instance: DuckDBInstance;
  let conn: DuckDBConnection;
  let sources: Map<string, Set<string>>;
  let otherReads: string[];
  beforeAll(async () => {
    // only DuckDB's parser is used: no warehouse is opened
    instance = await DuckDBInstance.create(':memory:');
    conn = await instance.connect();
    ({ marts: sources, other: otherReads } = await sourceMarts(conn, sourcesDir));
  });
  afterAll(() => {
    conn.closeSync();
    instance.closeSync();
  });

  it('every source reads the marts schema only', async () => {
    expect(sources.size).toBeGreaterThanOrEqual(30);
    expect(otherReads).toEqual([]);
    // the check sees through CTEs, subqueries, joins and table functions
    const probe = async (sql: string) => {
      const { reads, ctes } = await queryReads(conn, sql);
      return reads
        .filter((r) => !(r.schema === '' && ctes.has(r.table)))
        .map((r) => [r.schema, r.table].join('.'));
    };
    expect(
      await probe(`with m as (select * from marts.claims)
        select * from m join raw.pm_charges c using (claim_id)
        where exists (select 1 from staging.stg_pm__patients) and claim_id in (select claim_id from read_parquet('x.parquet'))`),
    ).toEqual(['marts.claims', 'raw.pm_charges', 'staging.stg_pm__patients', 'function.read_parquet']);
    expect(await probe('select * from claims')).toEqual(['.claims']);
  });

  it('reads every page and source', () => {
    // a walk that found nothing would make every check below pass
    expect(pages.size).toBeGreaterThanOrEqual(16);
    expect(pages.has('owner/[practice]/[month]/index.md')).toBe(true);
    expect(sources.get('kpi_scorecard')).toEqual(new Set(['kpi_monthly', 'practice_kpi_targets']));
    expect(pageSources(pages.get('index.md') as string)).toEqual(
      new Set(['remittance_summary', 'data_quality_summary', 'quarantined_files']),
    );
    expect(pageRoute('payers/[practice]/[payer].md')).toBe('/payers/<practice>/<payer>');
    expect(pageRoute('index.md')).toBe('/');
    expect(pageRoute('owner/index.md')).toBe('/owner');
  });

  it('every page has one exposure, depending on exactly the marts it reads', () => {
    expect(exposureProblems(pages, sources, exposures)).toEqual([]);
  });

  it('names the page without an exposure, and the exposure whose refs differ from what its page reads', () => {
    const withoutCoding = exposures.filter((e) => e.name !== 'coding_report');
    expect(exposureProblems(pages, sources, withoutCoding)).toEqual([
      'coding/[practice].md: 0 exposures with url http://127.0.0.1:3000/coding/<practice> (one expected)',
    ]);
    const arPage = pages.get('ar/[practice].md') as string;
    // the page reads one more source: its exposure's refs are now short of denials
    const extraSource = new Map(pages).set(
      'ar/[practice].md',
      `${arPage}\n\`\`\`sql more\nselect * from warehouse.denials\n\`\`\`\n`,
    );
    expect(exposureProblems(extraSource, sources, exposures)).toEqual([
      'ar_report: depends_on [ar_snapshots, claims, worklist_ar], the page reads [ar_snapshots, claims, denials, worklist_ar]',
    ]);
  });
});
