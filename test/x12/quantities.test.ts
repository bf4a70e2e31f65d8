import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, describe, expect, it } from 'vitest';
import { migrate } from '../../etl/warehouse/migrations.ts';
import { parseQuantity, quantityUnits } from '../../etl/x12/values.ts';
import { applyAsOldCode, FIRST_RELEASE_FILES } from '../helpers/old-warehouse.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

describe('quantities', () => {
  it('are read as exact ten-thousandths, the most DECIMAL(18,4) holds', () => {
    expect(quantityUnits('1')).toBe(10_000n);
    expect(quantityUnits('0.5')).toBe(5_000n);
    expect(quantityUnits('.75')).toBe(7_500n);
    expect(quantityUnits('-2.25')).toBe(-22_500n);
    expect(quantityUnits('+3.')).toBe(30_000n);
    expect(quantityUnits('12.3456')).toBe(123_456n);
    expect(quantityUnits('1.50000')).toBe(15_000n); // trailing zeros past the fourth decimal lose nothing
    expect(quantityUnits('00012')).toBe(120_000n);
    expect(quantityUnits('99999999999999.9999')).toBe(999_999_999_999_999_999n);
  });

  it('refuse what is not a plain decimal or would not be stored exactly', () => {
    for (const text of ['', '.', '-', 'ABC', '1e3', '1,5', '1.2.3', '12.34567', '123456789012345']) {
      expect(quantityUnits(text), text).toBeNull();
      expect(parseQuantity(text), text).toBeNull();
    }
    expect(parseQuantity('1.5')).toBe('1.5');
  });

  it('agree with the definition written as a regular expression, on every short string of signs, digits and points', () => {
    // The definition: a sign, leading zeros, at most 14 more digits, then a point, at most 4 decimals and zeros.
    const DEFINITION = /^([+-]?)0*(\d{0,14})(?:\.(\d{0,4})0*)?$/;
    const reference = (text: string): bigint | null => {
      const match = DEFINITION.exec(text);
      if (match === null || !/\d/.test(text)) return null;
      const units = BigInt(match[2] || '0') * 10_000n + BigInt((match[3] ?? '').padEnd(4, '0'));
      return match[1] === '-' ? -units : units;
    };
    // Every string of up to 5 characters over this alphabet, and long ones around the 14-digit and 4-decimal edges.
    const alphabet = ['0', '1', '9', '.', '-', '+', 'x'];
    let texts = [''];
    const all: string[] = [''];
    for (let length = 1; length <= 5; length++) {
      texts = texts.flatMap((text) => alphabet.map((c) => text + c));
      all.push(...texts);
    }
    for (const whole of [
      '0',
      '00000',
      '1',
      '12345678901234',
      '123456789012345',
      '99999999999999',
      '900000000000',
    ]) {
      for (const decimals of ['', '.', '.5', '.1234', '.12340', '.12345', '.00001', '.0000000']) {
        for (const sign of ['', '-', '+'])
          all.push(`${sign}${whole}${decimals}`, `${sign}000${whole}${decimals}`);
      }
    }
    expect(all.length).toBeGreaterThan(19_000);
    for (const text of all) {
      expect(quantityUnits(text), text).toBe(reference(text));
      expect(parseQuantity(text), text).toBe(reference(text) === null ? null : text);
    }
  });
});

describe('migration 0004_exact_quantities', () => {
  const wh = tempWarehouse('quantities');
  afterAll(() => wh.remove());

  it('turns quantities stored as DOUBLE into DECIMAL(18,4): exact ones kept, others null with a warning', async () => {
    const instance = await DuckDBInstance.create(wh.database);
    const connection = await instance.connect();
    try {
      // A warehouse as the first release left it: 0001, 0002, 0003 and 0010, quantities as DOUBLE.
      await applyAsOldCode(connection, FIRST_RELEASE_FILES);
      // What the DOUBLE column could hold: two values DECIMAL(18,4) holds (1.2345 is 1.23449999… as a DOUBLE)
      // and two it cannot, 15 whole digits and a fifth decimal.
      await connection.run(
        `insert into raw.era_adjustments (practice_id, file_id, transaction_control_number, segment_no, amount, quantity)
         values ('P001', 1, '0001', 9, 12.50, 1.5), ('P001', 1, '0001', 10, 1.00, 1.2345),
                ('P001', 2, '0001', 11, 1.00, 123456789012345), ('P002', 3, '0001', 12, 1.00, 1.23456)`,
      );

      await migrate(connection);

      const type = await connection.runAndReadAll(
        `select data_type from information_schema.columns
          where table_schema = 'raw' and table_name = 'era_adjustments' and column_name = 'quantity'`,
      );
      expect(type.getRows()).toEqual([['DECIMAL(18,4)']]);
      const values = await connection.runAndReadAll(
        'select segment_no, quantity::varchar from raw.era_adjustments order by segment_no',
      );
      expect(values.getRows()).toEqual([
        [9, '1.5000'],
        [10, '1.2345'],
        [11, null],
        [12, null],
      ]);
      const warnings = await connection.runAndReadAll(
        'select file_id::varchar, practice_id, location, code, message from raw.file_warnings order by file_id',
      );
      expect(warnings.getRows()).toEqual([
        [
          '2',
          'P001',
          'segment 11',
          'x12.invalid_quantity',
          'quantity 123456789012345.0 is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004',
        ],
        [
          '3',
          'P002',
          'segment 12',
          'x12.invalid_quantity',
          'quantity 1.23456 is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004',
        ],
      ]);
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  });
});
