import { DuckDBInstance } from '@duckdb/node-api';
import { expect } from 'vitest';
import type { Manifest } from '../../etl/generate/index.ts';
import { formatCents } from '../../etl/money.ts';
import { runRcm } from './run-rcm.ts';

export type Query = (sql: string) => Promise<unknown[][]>;

/** Loads an inbox into a fresh warehouse, runs the real `dbt build` (or `-- ARGS`), opens the result read-only. */
export async function buildWarehouse(
  database: string,
  inbox: string,
  dbtArgs: string[] = [],
): Promise<{ query: Query; close: () => void }> {
  const load = runRcm(['load', inbox, '--warehouse', database]);
  expect(load.code, load.stdout + load.stderr).toBe(0);
  const dbt = runRcm(['transform', '--warehouse', database, ...dbtArgs]);
  expect(dbt.code, dbt.stdout + dbt.stderr).toBe(0);
  const instance = await DuckDBInstance.create(database, { access_mode: 'READ_ONLY' });
  const connection = await instance.connect();
  return {
    query: async (sql) => (await connection.runAndReadAll(sql)).getRows(),
    close: () => {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

export const cents = (n: number): string => formatCents(BigInt(n));

/** The manifest's PM totals per practice and month, as kpi_monthly must show them, sorted. */
export function expectedKpiRows(manifest: Manifest): string[][] {
  return manifest.totals
    .map((t) => {
      const adjustments = Object.entries(t.pm.adjustments_cents);
      const contractual = adjustments
        .filter(([type]) => type === 'contractual')
        .reduce((s, [, v]) => s + v, 0);
      const other = adjustments.filter(([type]) => type !== 'contractual').reduce((s, [, v]) => s + v, 0);
      return [
        t.practice_id,
        t.month,
        cents(t.pm.charges_cents),
        cents(t.pm.payer_payments_cents),
        cents(t.pm.patient_payments_cents),
        cents(contractual),
        cents(other),
      ];
    })
    .sort((a, b) => `${a[0]}${a[1]}`.localeCompare(`${b[0]}${b[1]}`));
}

/** kpi_monthly's columns that expectedKpiRows gives, in its order. */
export const KPI_ROWS_SQL = `
  select practice_id, strftime(month, '%Y-%m'), gross_charges::varchar, payer_payments::varchar,
         patient_payments::varchar, contractual_adjustments::varchar, other_adjustments::varchar
  from marts.kpi_monthly order by 1, 2`;
