/**
 * The CSV shapes the generator writes, kept as data so the PM-ingest mapping profiles can mirror them
 * column for column. `CANONICAL_FIELDS` is the generator's record shape per entity (from etl/pm/canonical.ts); each dialect lists,
 * per entity, the header it writes and which canonical field (or fields) feed it.
 */

import { canonicalFieldSpecs, type GeneratorFieldType } from '../pm/canonical.ts';

export type FieldType = GeneratorFieldType;

export const PM_ENTITIES = [
  'patients',
  'providers',
  'payers',
  'locations',
  'appointments',
  'charges',
  'payments',
  'adjustments',
] as const;
export type PmEntity = (typeof PM_ENTITIES)[number];

export type FieldSpec = readonly [name: string, type: FieldType];

/** The canonical record shape per entity, taken from the PM ingest's canonical model so the two cannot drift. */
export const CANONICAL_FIELDS: Record<
  PmEntity | 'rejections' | 'deposits' | 'fee_schedule',
  readonly FieldSpec[]
> = canonicalFieldSpecs();

export type DateFormat = 'YYYY-MM-DD' | 'MM/DD/YYYY' | 'YYYYMMDD';
export type DateTimeFormat = 'YYYY-MM-DDTHH:MM:SS' | 'MM/DD/YYYY hh:mm AM' | 'YYYYMMDD HH:MM';
export type MoneyFormat = 'plain' | 'dollar_paren' | 'trailing_minus';

export interface DialectColumn {
  header: string;
  /** Canonical field written in this column. */
  field?: string;
  /** The field's type, for a column of no single canonical entity (a ledger row, a wide claim row). */
  type?: FieldType;
  /** A composite column: CPT and modifiers joined (e.g. '99213-25'). */
  procedure?: { cpt: string; modifiers: string[]; joiner: string };
}

export interface CsvDialect {
  name: string;
  description: string;
  delimiter: ',' | ';' | '|' | '\t';
  lineEnding: '\n' | '\r\n';
  bom: boolean;
  quoteAll: boolean;
  date: DateFormat;
  datetime: DateTimeFormat;
  money: MoneyFormat;
  bool: readonly [yes: string, no: string];
  icdDot: boolean;
  /** A trailing totals row: the label goes in the first column, money columns carry their sums. */
  totalsLabel: string | null;
  /** File name for an entity and a period ('YYYY-MM'), or null for snapshot files. */
  fileName: (entity: string, period: string | null) => string;
}

export interface PmDialect extends CsvDialect {
  entities: Record<PmEntity, readonly DialectColumn[]>;
  /** Charges, payments and adjustments written in another shape than a file per entity (pm-exports.ts). */
  layout?: SignedLedgerLayout | WideClaimLayout | OpenEmrLayout;
}

/**
 * One file per month for charges, payments and adjustments: a type column says what a row is and one signed
 * amount is written as the ledger's balance sees it (payments and adjustments negative). Fields of a row:
 * txn_date, txn_type, txn_id and the canonical names (amount signed).
 */
export interface SignedLedgerLayout {
  kind: 'signed_ledger';
  file: CsvDialect;
  columns: readonly DialectColumn[];
}

/**
 * Charges as CMS-1500-shaped claim rows: claim-level columns, then `groups` service lines side by side; a claim
 * of more lines continues on further rows, numbered by `page`. Fields of a row: the claim's canonical fields,
 * page, total_charge, and per line `<field>_<n>`.
 */
export interface WideClaimLayout {
  kind: 'wide_claims';
  file: CsvDialect;
  groups: number;
  claimColumns: readonly DialectColumn[];
  /** Headers hold {n}; fields are the canonical line fields (suffixed _<n> in a row). */
  lineColumns: readonly DialectColumn[];
}

/** Every canonical field in canonical order, header = field name. */
function identity(entity: keyof typeof CANONICAL_FIELDS): DialectColumn[] {
  return CANONICAL_FIELDS[entity].map(([name]) => ({ header: name, field: name }));
}

const cols = (pairs: readonly (readonly [string, string])[]): DialectColumn[] =>
  pairs.map(([header, field]) => ({ header, field }));

export const CANONICAL: PmDialect = {
  name: 'canonical',
  description:
    'snake_case canonical columns, ISO dates, plain decimals with a leading minus, LF, no totals row',
  delimiter: ',',
  lineEnding: '\n',
  bom: false,
  quoteAll: false,
  date: 'YYYY-MM-DD',
  datetime: 'YYYY-MM-DDTHH:MM:SS',
  money: 'plain',
  bool: ['true', 'false'],
  icdDot: true,
  totalsLabel: null,
  fileName: (entity, period) => (period ? `${entity}_${period}.csv` : `${entity}.csv`),
  entities: {
    patients: identity('patients'),
    providers: identity('providers'),
    payers: identity('payers'),
    locations: identity('locations'),
    appointments: identity('appointments'),
    charges: identity('charges'),
    payments: identity('payments'),
    adjustments: identity('adjustments'),
  },
};

/** A desktop-PM style report export: Title Case headers, US dates, dollar signs, a totals row, CRLF, BOM. */
export const LEDGER: PmDialect = {
  name: 'ledger',
  description:
    'Title Case headers, MM/DD/YYYY dates, $1,234.56 money with (12.00) negatives, Y/N flags, every field quoted, CRLF, UTF-8 BOM, trailing "Total" row',
  delimiter: ',',
  lineEnding: '\r\n',
  bom: true,
  quoteAll: true,
  date: 'MM/DD/YYYY',
  datetime: 'MM/DD/YYYY hh:mm AM',
  money: 'dollar_paren',
  bool: ['Y', 'N'],
  icdDot: true,
  totalsLabel: 'Total',
  fileName: (entity, period) => (period ? `${entity}_${period.replace('-', '')}.csv` : `${entity}.csv`),
  entities: {
    patients: cols([
      ['Patient Acct #', 'patient_id'],
      ['Last Name', 'last_name'],
      ['First Name', 'first_name'],
      ['DOB', 'date_of_birth'],
      ['Gender', 'sex'],
      ['Address', 'address_line_1'],
      ['City', 'city'],
      ['State', 'state'],
      ['Zip', 'zip'],
      ['Home Phone', 'phone'],
      ['Primary Insurance', 'primary_payer_id'],
      ['Plan Code', 'plan_id'],
      ['Subscriber ID', 'member_id'],
      ['Date Registered', 'registered_date'],
    ]),
    providers: cols([
      ['Provider Code', 'provider_id'],
      ['Provider Name (Last)', 'last_name'],
      ['Provider Name (First)', 'first_name'],
      ['Credentials', 'credential'],
      ['Individual NPI', 'npi'],
      ['Specialty', 'specialty'],
      ['Taxonomy', 'taxonomy_code'],
      ['Start Date', 'start_date'],
    ]),
    payers: cols([
      ['Insurance Code', 'payer_id'],
      ['Plan Code', 'plan_id'],
      ['Insurance Name', 'payer_name'],
      ['Plan Name', 'plan_name'],
      ['Financial Class', 'payer_type'],
      ['Payer ID', 'edi_payer_id'],
      ['Filing Code', 'claim_filing_indicator'],
      ['Filing Limit (Days)', 'timely_filing_days'],
    ]),
    locations: cols([
      ['Facility Code', 'location_id'],
      ['Facility Name', 'location_name'],
      ['Street', 'address_line_1'],
      ['City', 'city'],
      ['State', 'state'],
      ['Zip', 'zip'],
      ['POS', 'place_of_service'],
      ['Group NPI', 'npi'],
    ]),
    appointments: cols([
      ['Appt #', 'appointment_id'],
      ['Appt Date', 'appointment_date'],
      ['Booked On', 'scheduled_date'],
      ['Patient Acct #', 'patient_id'],
      ['Provider Code', 'provider_id'],
      ['Facility Code', 'location_id'],
      ['Visit Type', 'appointment_type'],
      ['Appt Status', 'status'],
      ['Eligibility Verified', 'eligibility_checked_at'],
      ['Auth Required', 'authorization_required'],
      ['Auth On File', 'authorization_obtained'],
      ['Claim #', 'claim_id'],
    ]),
    charges: cols([
      ['Claim #', 'claim_id'],
      ['Line', 'line_number'],
      ['DOS', 'service_date'],
      ['Patient Acct #', 'patient_id'],
      ['Insurance Code', 'payer_id'],
      ['Plan Code', 'plan_id'],
      ['Rendering Provider', 'rendering_provider_id'],
      ['Rendering NPI', 'rendering_npi'],
      ['Facility Code', 'location_id'],
      ['POS', 'place_of_service'],
      ['CPT', 'cpt'],
      ['Mod 1', 'modifier_1'],
      ['Mod 2', 'modifier_2'],
      ['Units', 'units'],
      ['Dx 1', 'icd10_1'],
      ['Dx 2', 'icd10_2'],
      ['Dx 3', 'icd10_3'],
      ['Dx 4', 'icd10_4'],
      ['Dx Pointer', 'dx_pointers'],
      ['Charges', 'charge_amount'],
      ['Entered', 'claim_created_date'],
      ['First Billed', 'claim_submitted_date'],
      ['Last Billed', 'last_submitted_date'],
      ['Rebills', 'resubmission_count'],
      ['Appt #', 'appointment_id'],
    ]),
    payments: cols([
      ['Pmt #', 'payment_id'],
      ['Deposit Date', 'payment_date'],
      ['Post Date', 'posted_date'],
      ['Claim #', 'claim_id'],
      ['Patient Acct #', 'patient_id'],
      ['Insurance Code', 'payer_id'],
      ['Paid By', 'payment_source'],
      ['Pmt Method', 'payment_method'],
      ['Check/EFT #', 'reference_number'],
      ['Amount', 'amount'],
      ['Copay at Visit', 'time_of_service'],
    ]),
    adjustments: cols([
      ['Adj #', 'adjustment_id'],
      ['Post Date', 'posted_date'],
      ['Claim #', 'claim_id'],
      ['Line', 'line_number'],
      ['Insurance Code', 'payer_id'],
      ['Adj Type', 'adjustment_type'],
      ['Group', 'group_code'],
      ['Reason', 'reason_code'],
      ['Amount', 'amount'],
      ['Approved By', 'approved_by'],
      ['Check/EFT #', 'reference_number'],
    ]),
  },
};

/** A database-extract style export: UPPER_SNAKE headers, YYYYMMDD dates, trailing-minus negatives,
 *  CPT and modifiers in one column, ICD-10 without the dot, 1/0 flags, a trailing "TOTALS" row. */
export const COMPACT: PmDialect = {
  name: 'compact',
  description:
    'UPPER_SNAKE headers, YYYYMMDD dates, trailing-minus negatives (12.00-), CPT with modifiers in one column (99213-25), ICD-10 without the dot, 1/0 flags, LF, trailing "TOTALS" row',
  delimiter: ',',
  lineEnding: '\n',
  bom: false,
  quoteAll: false,
  date: 'YYYYMMDD',
  datetime: 'YYYYMMDD HH:MM',
  money: 'trailing_minus',
  bool: ['1', '0'],
  icdDot: false,
  totalsLabel: 'TOTALS',
  fileName: (entity, period) =>
    period ? `${entity}_${period.replace('-', '_')}.csv` : `${entity}_master.csv`,
  entities: {
    patients: cols([
      ['PAT_ID', 'patient_id'],
      ['PAT_FNAME', 'first_name'],
      ['PAT_LNAME', 'last_name'],
      ['PAT_DOB', 'date_of_birth'],
      ['PAT_SEX', 'sex'],
      ['ADDR1', 'address_line_1'],
      ['CITY', 'city'],
      ['ST', 'state'],
      ['ZIP', 'zip'],
      ['PHONE', 'phone'],
      ['INS_CODE', 'primary_payer_id'],
      ['PLAN_CODE', 'plan_id'],
      ['MEMBER_NO', 'member_id'],
      ['REG_DT', 'registered_date'],
    ]),
    providers: cols([
      ['PROV_ID', 'provider_id'],
      ['PROV_NPI', 'npi'],
      ['PROV_FNAME', 'first_name'],
      ['PROV_LNAME', 'last_name'],
      ['PROV_DEGREE', 'credential'],
      ['SPECIALTY', 'specialty'],
      ['TAXONOMY', 'taxonomy_code'],
      ['START_DT', 'start_date'],
    ]),
    payers: cols([
      ['INS_CODE', 'payer_id'],
      ['PLAN_CODE', 'plan_id'],
      ['INS_NAME', 'payer_name'],
      ['PLAN_NAME', 'plan_name'],
      ['FIN_CLASS', 'payer_type'],
      ['EDI_ID', 'edi_payer_id'],
      ['FILING_IND', 'claim_filing_indicator'],
      ['TIMELY_DAYS', 'timely_filing_days'],
    ]),
    locations: cols([
      ['LOC_ID', 'location_id'],
      ['LOC_NAME', 'location_name'],
      ['ADDR1', 'address_line_1'],
      ['CITY', 'city'],
      ['ST', 'state'],
      ['ZIP', 'zip'],
      ['POS_CD', 'place_of_service'],
      ['LOC_NPI', 'npi'],
    ]),
    appointments: cols([
      ['APPT_ID', 'appointment_id'],
      ['PAT_ID', 'patient_id'],
      ['PROV_ID', 'provider_id'],
      ['LOC_ID', 'location_id'],
      ['APPT_DT', 'appointment_date'],
      ['MADE_DT', 'scheduled_date'],
      ['APPT_TYPE', 'appointment_type'],
      ['APPT_STATUS', 'status'],
      ['ELIG_CHECK_TS', 'eligibility_checked_at'],
      ['AUTH_REQ', 'authorization_required'],
      ['AUTH_OBT', 'authorization_obtained'],
      ['CLM_NO', 'claim_id'],
    ]),
    charges: [
      { header: 'CLM_NO', field: 'claim_id' },
      { header: 'LN', field: 'line_number' },
      { header: 'PAT_ID', field: 'patient_id' },
      { header: 'INS_CODE', field: 'payer_id' },
      { header: 'REND_PROV', field: 'rendering_provider_id' },
      { header: 'LOC_ID', field: 'location_id' },
      { header: 'FROM_DT', field: 'service_date' },
      { header: 'PROC', procedure: { cpt: 'cpt', modifiers: ['modifier_1', 'modifier_2'], joiner: '-' } },
      { header: 'UNITS', field: 'units' },
      { header: 'DIAG1', field: 'icd10_1' },
      { header: 'DIAG2', field: 'icd10_2' },
      { header: 'DIAG3', field: 'icd10_3' },
      { header: 'DIAG4', field: 'icd10_4' },
      { header: 'DX_PTR', field: 'dx_pointers' },
      { header: 'POS_CD', field: 'place_of_service' },
      { header: 'CHG_AMT', field: 'charge_amount' },
      { header: 'ENTRY_DT', field: 'claim_created_date' },
      { header: 'BILL_DT', field: 'claim_submitted_date' },
      { header: 'LAST_BILL_DT', field: 'last_submitted_date' },
      { header: 'REBILL_CNT', field: 'resubmission_count' },
      { header: 'APPT_ID', field: 'appointment_id' },
    ],
    payments: cols([
      ['PMT_ID', 'payment_id'],
      ['CLM_NO', 'claim_id'],
      ['PAT_ID', 'patient_id'],
      ['INS_CODE', 'payer_id'],
      ['PMT_SRC', 'payment_source'],
      ['PMT_TYPE', 'payment_method'],
      ['REF_NO', 'reference_number'],
      ['PMT_DT', 'payment_date'],
      ['POST_DT', 'posted_date'],
      ['PMT_AMT', 'amount'],
      ['TOS_FLAG', 'time_of_service'],
    ]),
    adjustments: cols([
      ['ADJ_ID', 'adjustment_id'],
      ['CLM_NO', 'claim_id'],
      ['LN', 'line_number'],
      ['INS_CODE', 'payer_id'],
      ['ADJ_TYPE', 'adjustment_type'],
      ['GRP', 'group_code'],
      ['RSN', 'reason_code'],
      ['ADJ_AMT', 'amount'],
      ['POST_DT', 'posted_date'],
      ['APPROVER', 'approved_by'],
      ['REF_NO', 'reference_number'],
    ]),
  },
};

const typed = (rows: readonly (readonly [string, string, FieldType])[]): DialectColumn[] =>
  rows.map(([header, field, type]) => ({ header, field, type }));

/**
 * A PM whose postings come out as one signed transaction ledger a month (the shipped `txledger` profile):
 * charges positive, payments and adjustments negative, refunds and reversals with the opposite sign; its
 * master data and appointments in canonical files.
 */
export const TXLEDGER: PmDialect = {
  ...CANONICAL,
  name: 'txledger',
  description:
    'canonical master data and appointments; charges, payments, adjustments and balance transfers in one signed ledger a month (Txn Type CHG/PMT/REFUND/ADJ/XFR, payments and adjustments negative, MM/DD/YYYY, $1,234.56 and ($12.00))',
  layout: {
    kind: 'signed_ledger',
    file: {
      ...LEDGER,
      name: 'txledger_file',
      lineEnding: '\n',
      bom: false,
      quoteAll: false,
      totalsLabel: null,
      fileName: (_entity, period) => `transactions_${period ?? 'all'}.csv`,
    },
    columns: [
      ...typed([
        ['Txn Date', 'txn_date', 'date'],
        ['Txn Type', 'txn_type', 'text'],
        ['Txn ID', 'txn_id', 'text'],
        ['Patient ID', 'patient_id', 'text'],
        ['Claim No', 'claim_id', 'text'],
        ['Line No', 'line_number', 'int'],
      ]),
      {
        header: 'Procedure',
        procedure: { cpt: 'cpt', modifiers: ['modifier_1', 'modifier_2'], joiner: '-' },
      },
      ...typed([
        ['Payer', 'payer_id', 'text'],
        ['Paid By', 'payment_source', 'text'],
        ['Adj Type', 'adjustment_type', 'text'],
        ['Transfer To', 'to_responsibility', 'text'],
        ['Amount', 'amount', 'money'],
      ]),
    ],
  },
};

/**
 * A PM whose claim export has the shape of the CMS-1500 form (the shipped `cms1500` profile): one row per
 * claim form, six service lines side by side; its other exports as the desktop-PM `ledger` dialect writes them.
 */
export const CMS1500: PmDialect = {
  ...LEDGER,
  name: 'cms1500',
  description:
    'charges as CMS-1500-shaped claim rows (six service lines per row, a claim of more lines continued on the next row, plain amounts, no totals row); other exports as the ledger dialect',
  layout: {
    kind: 'wide_claims',
    file: {
      ...CANONICAL,
      name: 'cms1500_file',
      date: 'MM/DD/YYYY',
      lineEnding: '\r\n',
      fileName: (_entity, period) => `claims_${period ?? 'all'}.csv`,
    },
    groups: 6,
    claimColumns: typed([
      ['Claim ID', 'claim_id', 'text'],
      ['Page', 'page', 'int'],
      ['Patient Account No', 'patient_id', 'text'],
      ['Payer ID', 'payer_id', 'text'],
      ['Dx A', 'icd10_1', 'icd'],
      ['Dx B', 'icd10_2', 'icd'],
      ['Dx C', 'icd10_3', 'icd'],
      ['Dx D', 'icd10_4', 'icd'],
      ['Total Charge', 'total_charge', 'money'],
    ]),
    lineColumns: typed([
      ['DOS {n}', 'service_date', 'date'],
      ['POS {n}', 'place_of_service', 'text'],
      ['CPT {n}', 'cpt', 'text'],
      ['Mod {n}A', 'modifier_1', 'text'],
      ['Mod {n}B', 'modifier_2', 'text'],
      ['Dx Pointer {n}', 'dx_pointers', 'text'],
      ['Charge {n}', 'charge_amount', 'money'],
      ['Units {n}', 'units', 'int'],
      ['Rendering NPI {n}', 'rendering_npi', 'text'],
    ]),
  },
};

/**
 * OpenEMR's `billing` table (charges, with a diagnosis row per code and deleted rows, activity 0) and its
 * `ar_activity` table (payments and adjustments keyed by patient + encounter + sequence, voided postings
 * with `deleted` set), a month a file each, in the column names of OpenEMR's open-source schema.
 */
export interface OpenEmrLayout {
  kind: 'openemr';
  file: CsvDialect;
  billing: readonly DialectColumn[];
  arActivity: readonly DialectColumn[];
}

/** A PM that is OpenEMR (the shipped `openemr` profile); master data and appointments as the compact dialect. */
export const OPENEMR: PmDialect = {
  ...COMPACT,
  name: 'openemr',
  description:
    'charges as OpenEMR billing rows (diagnosis rows, deleted rows with activity 0), payments and adjustments as ar_activity rows (payer_type 0/1, voided rows with deleted set), ISO dates, plain amounts; other exports as the compact dialect',
  layout: {
    kind: 'openemr',
    file: {
      ...CANONICAL,
      name: 'openemr_file',
      fileName: (table, period) => `${table}_${period ?? 'all'}.csv`,
    },
    billing: typed([
      ['id', 'id', 'int'],
      ['date', 'service_date', 'date'],
      ['code_type', 'code_type', 'text'],
      ['code', 'code', 'text'],
      ['pid', 'patient_id', 'text'],
      ['provider_id', 'rendering_provider_id', 'text'],
      ['encounter', 'claim_id', 'text'],
      ['activity', 'activity', 'int'],
      ['payer_id', 'payer_id', 'text'],
      ['modifier', 'modifier_1', 'text'],
      ['units', 'units', 'int'],
      ['fee', 'fee', 'money'],
    ]),
    arActivity: typed([
      ['pid', 'patient_id', 'text'],
      ['encounter', 'claim_id', 'text'],
      ['sequence_no', 'sequence_no', 'int'],
      ['payer_type', 'payer_type', 'int'],
      ['post_time', 'posted_date', 'date'],
      ['memo', 'adjustment_type', 'text'],
      ['pay_amount', 'pay_amount', 'money'],
      ['adj_amount', 'adj_amount', 'money'],
      ['reason_code', 'reason_code', 'text'],
      ['deleted', 'deleted', 'date'],
    ]),
  },
};

export const PM_DIALECTS: Record<string, PmDialect> = {
  canonical: CANONICAL,
  ledger: LEDGER,
  compact: COMPACT,
  txledger: TXLEDGER,
  cms1500: CMS1500,
  openemr: OPENEMR,
};
export const PM_DIALECT_NAMES = ['canonical', 'ledger', 'compact', 'txledger', 'cms1500', 'openemr'] as const;

/** The clearinghouse rejection report (one dialect, as a clearinghouse portal exports it). */
export const CLEARINGHOUSE_REJECTIONS: CsvDialect & { columns: readonly DialectColumn[] } = {
  name: 'clearinghouse_rejections',
  description:
    'Clearinghouse rejection report: Title Case headers, MM/DD/YYYY dates, $ amounts, CRLF, no totals',
  delimiter: ',',
  lineEnding: '\r\n',
  bom: false,
  quoteAll: false,
  date: 'MM/DD/YYYY',
  datetime: 'MM/DD/YYYY hh:mm AM',
  money: 'dollar_paren',
  bool: ['Y', 'N'],
  icdDot: true,
  totalsLabel: null,
  fileName: (_entity, period) => `rejections_${period ?? 'all'}.csv`,
  columns: cols([
    ['Batch ID', 'batch_id'],
    ['Claim ID', 'claim_id'],
    ['Patient Account', 'patient_id'],
    ['Payer Name', 'payer_name'],
    ['Payer ID', 'edi_payer_id'],
    ['Date of Service', 'service_date'],
    ['Billed Amount', 'charge_amount'],
    ['Submitted', 'submitted_date'],
    ['Rejected', 'rejection_date'],
    ['Report', 'source'],
    ['Status', 'status'],
    ['Category', 'category_code'],
    ['Reason Code', 'reason_code'],
    ['Reason', 'reason_text'],
    ['Entity', 'entity_code'],
  ]),
};

/** The bank's deposit export. */
export const BANK_DEPOSITS: CsvDialect & { columns: readonly DialectColumn[] } = {
  name: 'bank_deposits',
  description: 'Bank account export of credits: MM/DD/YYYY dates, plain decimals, LF',
  delimiter: ',',
  lineEnding: '\n',
  bom: false,
  quoteAll: false,
  date: 'MM/DD/YYYY',
  datetime: 'MM/DD/YYYY hh:mm AM',
  money: 'plain',
  bool: ['Y', 'N'],
  icdDot: true,
  totalsLabel: null,
  fileName: (_entity, period) => `deposits_${period ?? 'all'}.csv`,
  columns: cols([
    ['Transaction ID', 'transaction_id'],
    ['Posting Date', 'posting_date'],
    ['Description', 'description'],
    ['Amount', 'amount'],
    ['Reference', 'reference'],
    ['Type', 'type'],
  ]),
};

/** Contracted fee schedules, canonical columns. */
export const FEE_SCHEDULE: CsvDialect & { columns: readonly DialectColumn[] } = {
  ...CANONICAL,
  name: 'fee_schedule',
  description:
    'Contracted allowed amount per payer plan, CPT, modifier and effective period; canonical format',
  fileName: (_entity, payer) => `fee_schedule_${payer ?? 'all'}.csv`,
  columns: identity('fee_schedule'),
};

/** Canonical type of a field, for formatting. */
export function fieldType(entity: keyof typeof CANONICAL_FIELDS, field: string): FieldType {
  const spec = CANONICAL_FIELDS[entity].find(([name]) => name === field);
  if (!spec) throw new Error(`unknown field ${entity}.${field}`);
  return spec[1];
}
