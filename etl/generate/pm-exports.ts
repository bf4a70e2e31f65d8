/**
 * The PM's monthly exports of appointments, charges, payments and adjustments in the shape its dialect says:
 * a file per entity and month, one signed transaction ledger a month for the three postings, or charges as
 * CMS-1500-shaped claim rows. The simulation writes canonical records either way.
 */

import type { Cents } from '../money.ts';
import { type CsvRecord, PeriodCsv, type Value } from './csv.ts';
import type { CsvDialect, DialectColumn, PmDialect, WideClaimLayout } from './dialects.ts';
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
  const monthly = (
    name: string,
    file: CsvDialect,
    columns: readonly DialectColumn[],
    complete?: (rows: CsvRecord[]) => CsvRecord[],
  ) =>
    new MonthlyFile(
      new PeriodCsv(pmDir, 'charges', name, columns, file, log, `pm_${name}`, exportDay),
      complete,
    );
  const layout = dialect.layout;
  switch (layout?.kind) {
    case 'signed_ledger': {
      const ledger = monthly('transactions', layout.file, layout.columns, balanceTransfers());
      return {
        appointments: perEntity('appointments'),
        charges: ledger.stream((r) => [ledgerRow('charges', r)]),
        payments: ledger.stream((r) => [ledgerRow('payments', r)]),
        adjustments: ledger.stream((r) => [ledgerRow('adjustments', r)]),
      };
    }
    case 'openemr': {
      const rows = openEmrRows();
      const activity = monthly('ar_activity', layout.file, layout.arActivity);
      return {
        appointments: perEntity('appointments'),
        charges: monthly('billing', layout.file, layout.billing).stream(rows.billing),
        payments: activity.stream(rows.payment),
        adjustments: activity.stream(rows.adjustment),
      };
    }
    case 'wide_claims':
      return {
        appointments: perEntity('appointments'),
        charges: new WideClaims(pmDir, layout, log, exportDay),
        payments: perEntity('payments'),
        adjustments: perEntity('adjustments'),
      };
    case undefined:
      return {
        appointments: perEntity('appointments'),
        charges: perEntity('charges'),
        payments: perEntity('payments'),
        adjustments: perEntity('adjustments'),
      };
  }
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
        txn_type: r.payment_source === 'patient' && (r.amount as Cents) < 0n ? 'REFUND' : 'PMT',
        txn_id: r.payment_id,
        line_number: null,
        amount: -(r.amount as Cents),
      };
    case 'adjustments':
      return {
        ...r,
        txn_date: r.posted_date,
        txn_type: 'ADJ',
        txn_id: r.adjustment_id,
        amount: -(r.amount as Cents),
      };
  }
}

/** Every so many postings, one keyed in error first and then deleted or voided in the PM (left out on load). */
const ERROR_EVERY = 40;

/**
 * OpenEMR's rows: a billing row per procedure and per diagnosis of an encounter, ids counted across the file
 * series; ar_activity rows numbered per encounter, identified by patient + encounter + sequence number.
 */
function openEmrRows() {
  let billingId = 0;
  let postings = 0;
  const sequence = new Map<Value, number>();
  const patientOf = new Map<Value, Value>();
  const billing = (r: CsvRecord): CsvRecord[] => {
    const rows: CsvRecord[] = [];
    const row = (fields: CsvRecord): CsvRecord => ({ ...r, ...fields, id: ++billingId, activity: 1 });
    if (r.line_number === 1) {
      patientOf.set(r.claim_id, r.patient_id);
      for (const dx of [r.icd10_1, r.icd10_2, r.icd10_3, r.icd10_4]) {
        if (dx) rows.push(row({ code_type: 'ICD10', code: dx, modifier_1: '', units: 1, fee: 0n }));
      }
    }
    const line = { code_type: 'CPT4', code: r.cpt, fee: r.charge_amount };
    if (++postings % ERROR_EVERY === 0) rows.push({ ...row(line), activity: 0 });
    rows.push(row(line));
    return rows;
  };
  const activity = (r: CsvRecord, fields: CsvRecord): CsvRecord[] => {
    const next = () => {
      const n = (sequence.get(r.claim_id) ?? 0) + 1;
      sequence.set(r.claim_id, n);
      return n;
    };
    const row = { ...r, patient_id: patientOf.get(r.claim_id), ...fields };
    const voided =
      ++postings % ERROR_EVERY === 0 ? [{ ...row, sequence_no: next(), deleted: r.posted_date }] : [];
    return [...voided, { ...row, sequence_no: next() }];
  };
  return {
    billing,
    payment: (r: CsvRecord) =>
      activity(r, { payer_type: r.payment_source === 'payer' ? 1 : 0, pay_amount: r.amount, adj_amount: 0n }),
    adjustment: (r: CsvRecord) =>
      activity(r, { payer_type: r.payer_id ? 1 : 0, pay_amount: 0n, adj_amount: r.amount }),
  };
}

/**
 * A PM that posts balance transfers: on the first day a payer's payment or a contractual adjustment is posted on
 * a claim, what is left of its balance at the end of that day moves to the patient (an XFR row; none when
 * nothing is left). Applied to a month's ledger rows once the month is complete.
 */
function balanceTransfers(): (rows: CsvRecord[]) => CsvRecord[] {
  const open = new Map<Value, { balance: Cents; patient: Value; payer: Value }>();
  const done = new Set<Value>();
  return (rows) => {
    const transfers: CsvRecord[] = [];
    const byDay = [...rows].sort((a, b) => (a.txn_date as number) - (b.txn_date as number));
    const adjudicated = new Map<Value, number>();
    for (const r of byDay) {
      if (done.has(r.claim_id)) continue;
      let claim = open.get(r.claim_id);
      if (!claim) {
        claim = { balance: 0n, patient: r.patient_id, payer: r.payer_id };
        open.set(r.claim_id, claim);
      }
      const day = adjudicated.get(r.claim_id);
      if (day !== undefined && (r.txn_date as number) > day) continue;
      claim.balance += r.amount as Cents;
      const adjudicates =
        (r.txn_type === 'PMT' && r.payment_source === 'payer') ||
        (r.txn_type === 'ADJ' && r.adjustment_type === 'contractual');
      if (adjudicates && day === undefined) adjudicated.set(r.claim_id, r.txn_date as number);
    }
    for (const [claimId, day] of adjudicated) {
      const claim = open.get(claimId) as { balance: Cents; patient: Value; payer: Value };
      open.delete(claimId);
      done.add(claimId);
      if (claim.balance <= 0n) continue;
      transfers.push({
        txn_date: day,
        txn_type: 'XFR',
        txn_id: `XFR-${claimId}`,
        patient_id: claim.patient,
        claim_id: claimId,
        payer_id: claim.payer,
        to_responsibility: 'patient',
        amount: claim.balance,
      });
    }
    return [...rows, ...transfers];
  };
}

const CLOSED = '\uffff';

/**
 * One file a month fed by several streams (charges by date of service, payments and adjustments by posting
 * date) that advance independently: a month's rows are held until every stream has moved past it.
 */
class MonthlyFile {
  private readonly pending = new Map<string, CsvRecord[]>();
  /** Each stream's current period ('' before its first row, CLOSED after its last). */
  private readonly positions: string[] = [];

  constructor(
    private readonly out: PeriodCsv,
    /** Rows a month adds once all its rows are known (e.g. transfers decided at the end of a day). */
    private readonly complete: (rows: CsvRecord[]) => CsvRecord[] = (rows) => rows,
  ) {}

  stream(toRows: (r: CsvRecord) => CsvRecord[]): PeriodWriter {
    const index = this.positions.push('') - 1;
    return {
      row: (period, r) => {
        let rows = this.pending.get(period);
        if (!rows) {
          rows = [];
          this.pending.set(period, rows);
        }
        rows.push(...toRows(r));
        if (period !== this.positions[index]) {
          this.positions[index] = period;
          this.flush();
        }
      },
      close: () => {
        this.positions[index] = CLOSED;
        this.flush();
        if (this.positions.every((p) => p === CLOSED)) this.out.close();
      },
    };
  }

  private flush(): void {
    const slowest = [...this.positions].sort()[0] as string;
    for (const period of [...this.pending.keys()].sort()) {
      if (period >= slowest) break;
      for (const r of this.complete(this.pending.get(period) as CsvRecord[])) this.out.row(period, r);
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
        lineColumns.push({
          ...column,
          header: column.header.replaceAll('{n}', String(n)),
          field: `${column.field}_${n}`,
        });
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
        total_charge: form.reduce((sum, line) => sum + (line.charge_amount as Cents), 0n),
      };
      form.forEach((line, k) => {
        for (const field of this.lineFields) row[`${field}_${k + 1}`] = line[field];
      });
      this.out.row(period, row);
    }
  }
}
