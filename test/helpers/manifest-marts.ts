import type { Manifest } from '../../etl/generate/index.ts';
import { formatCents } from '../../etl/money.ts';

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
