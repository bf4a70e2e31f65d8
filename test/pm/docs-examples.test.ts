import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { resolveProfileFile } from '../../etl/pm/profile.ts';
import { type PmTestWarehouse, pmWarehouse } from './helpers.ts';

/**
 * The worked examples of docs/inputs.md ("Real export shapes, worked"): every profile shown is one the loader
 * accepts, and the row-kinds example stores and says what the page says.
 */
const docs = readFileSync('docs/inputs.md', 'utf8');
const shapes = docs.slice(
  docs.indexOf('### Real export shapes, worked'),
  docs.indexOf('## 6. The canonical'),
);
const profiles = new Map(
  [...shapes.matchAll(/```yaml\n(name: [\s\S]*?)```/g)].map((match) => {
    const block = match[1] as string;
    return [/^name: (\S+)/.exec(block)?.[1] as string, block];
  }),
);
const exampleCsv = (firstLine: string) => {
  const start = shapes.indexOf(`\`\`\`\n${firstLine}\n`);
  return `${shapes.slice(start + 4, shapes.indexOf('```', start + 4)).trimEnd()}\n`;
};

describe('docs/inputs.md worked export shapes', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-docs');
  });
  afterAll(() => wh.close());

  it('show a profile for each shape, each one the loader accepts', () => {
    expect([...profiles.keys()]).toEqual(['billingtable', 'signedpayments', 'codedpm', 'dailyfeed']);
    for (const [name, block] of profiles) {
      expect(resolveProfileFile(parseYaml(block), `docs/inputs.md (${name})`).length).toBeGreaterThan(0);
    }
  });

  it('row kinds and deleted rows: the rows stored and the warnings are the ones the page shows', async () => {
    const profile = resolveProfileFile(parseYaml(profiles.get('billingtable') as string), 'docs');
    const outcome = await wh.load(
      'billing.csv',
      exampleCsv('encounter,line,pid,date,code_type,code,fee,activity'),
      {
        profiles: profile,
      },
    );
    expect(outcome.status).toBe('loaded');
    if (outcome.status !== 'loaded') return;
    const said = (message: string) => shapes.replace(/\s+/g, ' ').includes(`\`${message}\``);
    expect(outcome.warnings.map((warning) => warning.message).filter((message) => !said(message))).toEqual(
      [],
    );
    expect(outcome.warnings).toHaveLength(3);
    expect(await wh.rows('select line_no, charge_amount from raw.pm_charges order by 1')).toEqual([
      { line_no: '3', charge_amount: '120.00' },
      { line_no: '5', charge_amount: '175.25' },
    ]);
  });
});
