import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PmTestWarehouse, pmWarehouse } from './helpers.ts';

/**
 * Property: whatever the quoting, line ends and blank lines, every stored row's line_no is the physical line
 * (1-based, as an editor shows it) on which its record starts.
 */
describe('physical line numbers', () => {
  let wh: PmTestWarehouse;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-lines');
  });
  afterAll(() => wh.close());

  const text = fc.string({
    unit: fc.constantFrom('a', 'B', ' ', ',', '"', '\n', '\r\n', 'é', '9'),
    maxLength: 12,
  });
  const row = fc.record({ first: text, address: text, blankLinesAfter: fc.nat({ max: 2 }) });

  it('is the line each record starts on, with quoted line breaks, blank lines, LF or CRLF', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(row, { minLength: 1, maxLength: 12 }), fc.boolean(), async (rows, crlf) => {
        run++;
        const eol = crlf ? '\r\n' : '\n';
        const quote = (value: string) => `"${value.replaceAll('"', '""')}"`;
        let content = `patient_id,first_name,address_line_1${eol}`;
        let line = 2;
        const expected: { patient_id: string; line_no: string }[] = [];
        rows.forEach((r, i) => {
          const id = `R${run}-${i}`;
          expected.push({ patient_id: id, line_no: String(line) });
          const record = `${id},${quote(r.first)},${quote(r.address)}`;
          content += record + eol + eol.repeat(r.blankLinesAfter);
          line += record.split('\n').length + r.blankLinesAfter;
        });
        const outcome = await wh.load(`lines-${run}.csv`, content);
        expect(outcome.status).toBe('loaded');
        const stored = await wh.rows(
          `select patient_id, line_no::varchar as line_no from raw.pm_patients where file_id = ${outcome.fileId} order by raw.pm_patients.line_no`,
        );
        expect(stored).toEqual(expected);
      }),
      { numRuns: 25, seed: 20261128 },
    );
  });

  it('leaves no temporary table behind, after loaded and refused files alike', async () => {
    await wh.load('refused.csv', 'patient_id,first_name\n,Ann\n');
    expect(await wh.rows('select table_name from duckdb_tables() where temporary')).toEqual([]);
  });
});
