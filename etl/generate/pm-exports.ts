/**
 * The PM's monthly exports of appointments, charges, payments and adjustments in the shape its dialect says:
 * a file per entity and month, one signed transaction ledger a month for the three postings, or charges as
 * CMS-1500-shaped claim rows. The simulation writes canonical records either way.
 */

import { type CsvRecord, PeriodCsv } from './csv.ts';
import type { DialectColumn, PmDialect, SignedLedgerLayout, WideClaimLayout } from './dialects.ts';
import type { FileLog } from './sink.ts';

export interface PeriodWriter {
  /** Rows of one writer arrive in non-decreasing period order ('YYYY-MM'). */
  row(period: string, r: CsvRecord): void;
  close(): void;
}

type Monthly = 'appointments' | 'charges' | 'payments' | 'adjustments';
type Posting = 'charges' | 'payments' | 'adjustments';

export function pmExportWriters(
  pmDir: string,
  dialect: PmDialect,
  log: FileLog,
  exportDay: (period: string) => number,
): Record<Monthly, PeriodWriter> {
  const perEntity = (entity: Monthly): PeriodWriter =>
    new PeriodCsv(pmDir, entity, entity, dialect.entities[entity], dialect, log, `pm_${entity}`, exportDay);
  const layout = dialect.layout;
  if (layout?.kind === 'signed_ledger') {
    const ledger = new SignedLedger(pmDir, layout, log, exportDay);
    return {
      appointments: perEntity('appointments'),
      charges: ledger.stream('charges'),
      payments: ledger.stream('payments'),
      adjustments: ledger.stream('adjustments'),
    };
  }
  return {
    appointments: perEntity('appointments'),
    charges: layout?.kind === 'wide_claims' ? new WideClaims(pmDir, layout, log, exportDay) : perEntity('charges'),
    payments: perEntity('payments'),
    adjustments: perEntity('adjustments'),
  };
}

/** A posting as a ledger row: its type, its own id and the amount as the balance sees it. */
function ledgerRow(entity: Posting, r: CsvRecord): CsvRecord {
  switch (entity) {
    case 'charges':
      return {
        ...r,
        txn_date: r.service_date,
        txn_type: 'CHG',
        txn_id: `${r.claim_id}-${r.line_number}`,
        amount: r.charge_amount,
      };
    case 'payments':
      return {
        ...r,
        txn_date: r.posted_date,
        // money handed back to a patient is a refund; a payer's negative payment is its reversal
        txn_type: r.payment_source === 'patient' && (r.amount as number) < 0 ? 'REFUND' : 'PMT',
        txn_id: r.payment_id,
        line_number: null,
        amount: -(r.amount as number),
      };
    case 'adjustments':
      return {
        ...r,
        txn_date: r.posted_date,
        txn_type: 'ADJ',
        txn_id: r.adjustment_id,
        amount: -(r.amount as number),
      };
  }
}

const CLOSED = '\uffff';

/**
 * One file a month for charges (by date of service), payments and adjustments (by posting date). The three
 * streams advance independently, so a month's rows are held until every stream has moved past that month.
 */
class SignedLedger {
  private readonly pending = new Map<string, CsvRecord[]>();
  /** Each stream's current period ('' before its first row, CLOSED after its last). */
  private readonly position = new Map<Posting, string>();
  private readonly out: PeriodCsv;

  constructor(pmDir: string, layout: SignedLedgerLayout, log: FileLog, exportDay: (period: string) => number) {
    this.out = new PeriodCsv(pmDir, 'charges', 'transactions', layout.columns, layout.file, log, 'pm_transactions', exportDay);
  }

  stream(entity: Posting): PeriodWriter {
    this.position.set(entity, '');
    return {
      row: (period, r) => {
        let rows = this.pending.get(period);
        if (!rows) {
          rows = [];
          this.pending.set(period, rows);
        }
        rows.push(ledgerRow(entity, r));
        if (period !== this.position.get(entity)) {
          this.position.set(entity, period);
          this.flush();
        }
      },
      close: () => {
        this.position.set(entity, CLOSED);
        this.flush();
        if ([...this.position.values()].every((p) => p === CLOSED)) this.out.close();
      },
    };
  }

  private flush(): void {
    const slowest = [...this.position.values()].reduce((a, b) => (a < b ? a : b));
    for (const period of [...this.pending.keys()].sort()) {
      if (period >= slowest) break;
      for (const r of this.pending.get(period) as CsvRecord[]) this.out.row(period, r);
      this.pending.delete(period);
    }
  }
}

/** Charges as claim forms: a claim's lines arrive together, `groups` to a row, continued on the next row. */
class WideClaims implements PeriodWriter {
  private claim: { period: string; lines: CsvRecord[] } | null = null;
  private readonly out: PeriodCsv;
  private readonly lineFields: string[];

  constructor(
    pmDir: string,
    private readonly layout: WideClaimLayout,
    log: FileLog,
    exportDay: (period: string) => number,
  ) {
    const lineColumns: DialectColumn[] = [];
    for (let n = 1; n <= layout.groups; n++) {
      for (const column of layout.lineColumns) {
        lineColumns.push({ ...column, header: column.header.replaceAll('{n}', String(n)), field: `${column.field}_${n}` });
      }
    }
    this.lineFields = layout.lineColumns.map((column) => column.field as string);
    this.out = new PeriodCsv(
      pmDir,
      'charges',
      'claims',
      [...layout.claimColumns, ...lineColumns],
      layout.file,
      log,
      'pm_claims',
      exportDay,
    );
  }

  row(period: string, r: CsvRecord): void {
    const current = this.claim;
    if (current && (current.period !== period || current.lines[0]?.claim_id !== r.claim_id)) this.flush();
    if (!this.claim) this.claim = { period, lines: [] };
    this.claim.lines.push(r);
  }

  close(): void {
    this.flush();
    this.out.close();
  }

  private flush(): void {
    if (!this.claim) return;
    const { period, lines } = this.claim;
    this.claim = null;
    const groups = this.layout.groups;
    for (let page = 0; page * groups < lines.length; page++) {
      const form = lines.slice(page * groups, (page + 1) * groups);
      const first = form[0] as CsvRecord;
      const row: CsvRecord = {
        ...first,
        page: page + 1,
        total_charge: form.reduce((sum, line) => sum + (line.charge_amount as number), 0),
      };
      form.forEach((line, k) => {
        for (const field of this.lineFields) row[`${field}_${k + 1}`] = line[field];
      });
      this.out.row(period, row);
    }
  }
}
