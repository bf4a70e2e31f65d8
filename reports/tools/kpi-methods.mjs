// Writes the "Methods" partial of the report pages from the KPI definitions dbt documents
// (models/marts/revenue_cycle/_kpi__docs.md), so the pages and the models never disagree.
//   node tools/kpi-methods.mjs <docs.md> <out.md>
import { readFileSync, writeFileSync } from 'node:fs';

const [docsFile, outFile] = process.argv.slice(2);
if (!docsFile || !outFile) {
  console.error('usage: node tools/kpi-methods.mjs <_kpi__docs.md> <out.md>');
  process.exit(2);
}
const blocks = [...readFileSync(docsFile, 'utf8').matchAll(/\{%\s*docs\s+(\w+)\s*%\}([\s\S]*?)\{%\s*enddocs\s*%\}/g)];
if (blocks.length === 0) {
  console.error(`no {% docs %} blocks in ${docsFile}`);
  process.exit(1);
}
// Markdown for mdsvex: a literal "<" or brace would be read as Svelte markup, so each becomes an expression.
const escape = (text) => text.replace(/[<{}]/g, (c) => `{'${c}'}`);
const body = blocks.map(([, , text]) => `- ${escape(text.trim().replace(/\s*\n\s*/g, ' '))}`);
writeFileSync(
  outFile,
  [
    '## Methods',
    '',
    'How each figure is computed and where it comes from (the warehouse documents the same text with its models).',
    'Months are calendar months; charges count by date of service, payments and adjustments by posting date.',
    '',
    ...body,
    '',
  ].join('\n'),
);
