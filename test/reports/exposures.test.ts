// Every report page is declared as a dbt exposure (models/exposures.yml) whose depends_on holds exactly the marts
// the page reads: the marts named by the report sources (reports/sources/warehouse/*.sql) the page queries.
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
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

/** SQL without its comments, so a mart or source named in a comment is not taken for one read. */
const withoutComments = (sql: string): string =>
  sql.replace(/\/\*[\s\S]*?\*\//g, ' ').replace(/--[^\n]*/g, ' ');

/** Report source name -> the marts its query reads (`marts.<name>`, optionally quoted). */
function sourceMarts(sourcesDir: string): Map<string, Set<string>> {
  const sources = new Map<string, Set<string>>();
  for (const file of readdirSync(sourcesDir)) {
    // initialize.sql is run by the connector before every query; it is not a source
    if (!file.endsWith('.sql') || file === 'initialize.sql') continue;
    const sql = withoutComments(readFileSync(join(sourcesDir, file), 'utf8'));
    const marts = [...sql.matchAll(/\bmarts\s*\.\s*"?([a-z_][a-z0-9_]*)/gi)].map((m) =>
      (m[1] as string).toLowerCase(),
    );
    sources.set(file.slice(0, -'.sql'.length), new Set(marts));
  }
  return sources;
}

/** The sources a page queries: `warehouse.<source>` inside its ```sql blocks. */
function pageSources(markdown: string): Set<string> {
  const sources = new Set<string>();
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
  const sources = sourceMarts(join(reportsDir, 'sources', 'warehouse'));
  const exposures = readExposures();

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
