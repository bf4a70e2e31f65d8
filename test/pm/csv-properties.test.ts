import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type PmTestWarehouse, pmWarehouse } from './helpers.ts';

const RUNS = Number(process.env.CSV_PROPERTY_RUNS ?? 30);

/** A field as a PM system writes it: quoted when it holds the delimiter, a quote or a line break. */
const csvField = (value: string) => (/[",\n\r]/.test(value) ? `"${value.replaceAll('"', '""')}"` : value);

// Free text with what breaks naive CSV readers: commas, quotes, apostrophes, line breaks, non-ASCII letters.
// Trimmed and never starting with '=' (a spreadsheet formula cell, which the reader unwraps on purpose).
const freeText = fc
  .array(fc.constantFrom(...'ab Z9,"\'\n-éü漢#;'.split('')), { minLength: 1, maxLength: 24 })
  .map((chars) => chars.join('').trim())
  .filter((text) => text !== '' && !text.startsWith('='));

/**
 * Properties of the PM CSV reader: whatever the text of a field, it comes back exactly, on the physical line the
 * record starts on; whatever the amount, it comes back to the cent.
 */
describe('CSV profile reader properties', () => {
  let wh: PmTestWarehouse;
  let fileNo = 0;
  beforeAll(async () => {
    wh = await pmWarehouse('pm-properties');
  });
  afterAll(() => wh.close());

  it('free text fields round-trip exactly, each record at its physical line', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(freeText, freeText), { minLength: 1, maxLength: 12 }),
        async (people) => {
          fileNo++;
          const header = 'patient_id,last_name,address_line_1';
          const records = people.map(
            ([name, address], i) => `Q${fileNo}-${i},${csvField(name)},${csvField(address)}`,
          );
          const outcome = await wh.load(`prop/patients-${fileNo}.csv`, `${header}\n${records.join('\n')}\n`);
          expect(outcome.status).toBe('loaded');
          // Record i starts after the header and the line breaks of the records before it.
          let line = 2;
          const expected = people.map(([name, address], i) => {
            const row = {
              line_no: String(line),
              patient_id: `Q${fileNo}-${i}`,
              last_name: name,
              address_line_1: address,
            };
            line += records[i]?.split('\n').length ?? 1;
            return row;
          });
          const stored = await wh.rows(
            `select p.line_no, patient_id, last_name, address_line_1 from raw.pm_patients p
             join raw.files f using (file_id) where f.original_name = 'patients-${fileNo}.csv' order by p.line_no`,
          );
          expect(stored).toEqual(expected);
        },
      ),
      { numRuns: RUNS, seed: 20261130 },
    );
  });

  it('amounts round-trip to the cent, negatives and large values included', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: -9_999_999_999n, max: 9_999_999_999n }), { minLength: 1, maxLength: 20 }),
        async (amounts) => {
          fileNo++;
          const text = (cents: bigint) => {
            const abs = cents < 0n ? -cents : cents;
            return `${cents < 0n ? '-' : ''}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`;
          };
          const rows = amounts.map(
            (cents, i) => `C${fileNo},${i + 1},P1,2025-03-0${(i % 9) + 1},99213,${text(cents)}`,
          );
          const outcome = await wh.load(
            `prop/charges_${fileNo}.csv`,
            `claim_id,line_number,patient_id,service_date,cpt,charge_amount\n${rows.join('\n')}\n`,
          );
          expect(outcome.status).toBe('loaded');
          const stored = await wh.rows(
            `select charge_amount::varchar as amount from raw.pm_charges where claim_id = 'C${fileNo}' order by line_number`,
          );
          expect(stored.map((row) => row.amount)).toEqual(amounts.map(text));
        },
      ),
      { numRuns: RUNS, seed: 20261130 },
    );
  });
});
