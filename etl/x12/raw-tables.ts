/**
 * Raw tables of the X12 engine, described once: the loader writes columns in this order, and
 * test/warehouse/migrations.test.ts holds the tables the frozen migrations create (etl/warehouse/migrations/)
 * to these lists. Every row carries practice_id, file_id, the control numbers
 * of its interchange (ISA13) and transaction set (ST02), and its position: segment_no (1-based segment
 * number in the file) and byte_offset (where that segment starts). Money is DECIMAL(18,2) and quantities
 * DECIMAL(18,4), both exact.
 */

export type ColumnType = 'varchar' | 'bigint' | 'integer' | 'money' | 'quantity' | 'date' | 'boolean';

export interface Column {
  name: string;
  type: ColumnType;
  notNull?: boolean;
  comment?: string;
}

export interface RawTable {
  name: string;
  columns: Column[];
}

const SQL_TYPES: Record<ColumnType, string> = {
  varchar: 'varchar',
  bigint: 'bigint',
  integer: 'integer',
  money: 'decimal(18,2)',
  quantity: 'decimal(18,4)',
  date: 'date',
  boolean: 'boolean',
};

const v = (name: string, comment?: string): Column => ({ name, type: 'varchar', comment });
const money = (name: string, comment?: string): Column => ({ name, type: 'money', comment });
const date = (name: string, comment?: string): Column => ({ name, type: 'date', comment });
const int = (name: string, comment?: string): Column => ({ name, type: 'integer', comment });
const qty = (name: string, comment?: string): Column => ({ name, type: 'quantity', comment });
const bool = (name: string, comment?: string): Column => ({ name, type: 'boolean', comment });

const keys: Column[] = [
  { name: 'practice_id', type: 'varchar', notNull: true },
  { name: 'file_id', type: 'bigint', notNull: true },
  v('interchange_control_number', 'ISA13'),
  { name: 'transaction_control_number', type: 'varchar', notNull: true, comment: 'ST02' },
  {
    name: 'segment_no',
    type: 'integer',
    notNull: true,
    comment: '1-based position of the segment in the file',
  },
  { name: 'byte_offset', type: 'bigint', notNull: true, comment: 'byte where the segment starts' },
];

/** Claim-scoped rows also point at their CLP (and SVC) segment. */
const claimKeys: Column[] = [
  ...keys,
  int('claim_segment_no', 'segment_no of the CLP'),
  v('patient_control_number', 'CLP01'),
];

/** Detail rows (CAS, LQ, NM1, REF, AMT, QTY, DTM) are located by segment_no and joined to their claim by claim_segment_no. */
const detailKeys: Column[] = [
  ...keys.filter((column) => column.name !== 'byte_offset'),
  int('claim_segment_no', 'segment_no of the CLP; null for header-level rows'),
];

/**
 * raw.era_remittances and raw.era_claims were created by migration 0002 with the first columns below (the
 * first-slice loader); 0003 added the rest, so their column order is: 0002's columns, then these.
 */
const eraRemittancesBase: Column[] = [
  { name: 'practice_id', type: 'varchar', notNull: true },
  { name: 'file_id', type: 'bigint', notNull: true },
  v('interchange_control_number'),
  { name: 'transaction_control_number', type: 'varchar', notNull: true },
  { name: 'segment_no', type: 'integer', notNull: true, comment: 'the ST segment' },
  v('payer_name'),
  v('payee_name'),
  v('payee_npi'),
  money('total_paid', 'BPR02'),
  v('credit_debit_flag', 'BPR03'),
  v('payment_method', 'BPR04'),
  date('payment_date', 'BPR16'),
  v('trace_number', 'TRN02'),
];

export const eraRemittances: RawTable = {
  name: 'era_remittances',
  columns: [
    ...eraRemittancesBase,
    { name: 'byte_offset', type: 'bigint' },
    v('group_control_number', 'GS06'),
    v('version', 'ST03 or GS08'),
    int('end_segment_no', 'the SE segment'),
    v('transaction_handling_code', 'BPR01: I remittance and payment, H notification only, ...'),
    v('payment_format', 'BPR05'),
    v('sender_dfi_id', 'BPR07'),
    v('sender_account_number', 'BPR09'),
    v('receiver_dfi_id', 'BPR13'),
    v('receiver_account_number', 'BPR15'),
    v('trace_type_code', 'TRN01'),
    v('originating_company_id', 'TRN03'),
    v('originating_company_supplemental_code', 'TRN04'),
    v('currency_code', 'CUR02'),
    v('receiver_id', 'REF*EV'),
    date('production_date', 'DTM*405'),
    v('payer_id_qualifier', 'N103 of N1*PR'),
    v('payer_id', 'N104 of N1*PR'),
    v('payer_address_1'),
    v('payer_address_2'),
    v('payer_city'),
    v('payer_state'),
    v('payer_postal_code'),
    v('payer_contact_name', 'first PER'),
    v('payer_contact_phone', 'first PER TE number'),
    v('payee_id_qualifier', 'N103 of N1*PE (XX = NPI, FI = tax id)'),
    v('payee_id', 'N104 of N1*PE'),
    v('payee_tax_id', 'N104 when FI, else REF*TJ'),
    v('payee_address_1'),
    v('payee_address_2'),
    v('payee_city'),
    v('payee_state'),
    v('payee_postal_code'),
    int('claim_count'),
    int('service_line_count'),
    money('claims_paid', 'sum of CLP04'),
    money('plb_total', 'sum of PLB amounts'),
    money('balance_difference', 'sum(CLP04) - sum(PLB) - BPR02; 0 when the transaction balances'),
    bool('is_balanced', 'every line, claim and the transaction balance'),
    int('imbalance_count'),
  ],
};

const eraClaimsBase: Column[] = [
  { name: 'practice_id', type: 'varchar', notNull: true },
  { name: 'file_id', type: 'bigint', notNull: true },
  { name: 'transaction_control_number', type: 'varchar', notNull: true },
  { name: 'segment_no', type: 'integer', notNull: true, comment: 'the CLP segment' },
  { name: 'patient_control_number', type: 'varchar', notNull: true, comment: 'CLP01' },
  { name: 'claim_status_code', type: 'varchar', notNull: true, comment: 'CLP02' },
  money('charge_amount', 'CLP03'),
  money('paid_amount', 'CLP04'),
  money('patient_responsibility_amount', 'CLP05'),
  v('payer_claim_control_number', 'CLP07'),
];

export const eraClaims: RawTable = {
  name: 'era_claims',
  columns: [
    ...eraClaimsBase,
    v('interchange_control_number'),
    { name: 'byte_offset', type: 'bigint' },
    v('header_number', 'LX01'),
    v('claim_filing_indicator', 'CLP06'),
    v('facility_type_code', 'CLP08'),
    v('frequency_code', 'CLP09'),
    v('drg_code', 'CLP11'),
    v('drg_weight', 'CLP12'),
    v('discharge_fraction', 'CLP13'),
    v('claim_role', "'original', 'reversal' (CLP02 = 22) or 'correction'"),
    int('reversal_segment_no', 'for a correction: segment_no of the reversal it follows in this file'),
    v(
      'original_payer_claim_control_number',
      'claim being reversed/corrected: REF*F8, else the reversal CLP07',
    ),
    v('patient_last_name', 'NM1*QC'),
    v('patient_first_name'),
    v('patient_middle_name'),
    v('patient_id_qualifier'),
    v('patient_id'),
    v('insured_last_name', 'NM1*IL'),
    v('insured_first_name'),
    v('insured_id'),
    v('corrected_last_name', 'NM1*74'),
    v('corrected_first_name'),
    v('corrected_id'),
    v('rendering_provider_last_name', 'NM1*82'),
    v('rendering_provider_first_name'),
    v('rendering_provider_id_qualifier'),
    v('rendering_provider_id'),
    v('rendering_provider_npi', 'NM109 when NM108 = XX'),
    date('statement_from_date', 'DTM*232'),
    date('statement_to_date', 'DTM*233'),
    date('received_date', 'DTM*050'),
    date('coverage_expiration_date', 'DTM*036'),
    money('coverage_amount', 'AMT*AU'),
    v('inpatient_adjudication', 'MIA01..MIA24 joined with *'),
    v('outpatient_adjudication', 'MOA01..MOA09 joined with *'),
    v('outpatient_remark_codes', 'MOA03..MOA07, comma separated'),
    money('claim_adjustment_amount', 'sum of claim-level CAS'),
    money('line_adjustment_amount', 'sum of line-level CAS'),
    money('balance_difference', 'CLP03 - sum(CAS) - CLP04; 0 when the claim balances'),
    bool('is_balanced'),
    int('service_line_count'),
  ],
};

export const eraServiceLines: RawTable = {
  name: 'era_service_lines',
  columns: [
    ...claimKeys,
    int('line_number', 'order of the line within its claim'),
    v('procedure_qualifier', 'SVC01-1 (HC, NU, ...)'),
    v('procedure_code', 'SVC01-2'),
    v('modifier_1'),
    v('modifier_2'),
    v('modifier_3'),
    v('modifier_4'),
    v('procedure_description', 'SVC01-7'),
    money('charge_amount', 'SVC02'),
    money('paid_amount', 'SVC03'),
    v('revenue_code', 'SVC04'),
    qty('units', 'SVC05'),
    bool('is_recoded', 'SVC06 present: the payer paid another procedure than billed'),
    v('original_procedure_qualifier', 'SVC06-1'),
    v('original_procedure_code', 'SVC06-2'),
    v('original_modifier_1'),
    v('original_modifier_2'),
    v('original_modifier_3'),
    v('original_modifier_4'),
    qty('original_units', 'SVC07'),
    date('service_date', 'DTM*472'),
    date('service_from_date', 'DTM*150'),
    date('service_to_date', 'DTM*151'),
    v('line_control_number', 'REF*6R'),
    money('allowed_amount', 'AMT*B6'),
    money('adjustment_amount', 'sum of line CAS'),
    money('balance_difference', 'SVC02 - sum(CAS) - SVC03'),
    bool('is_balanced'),
  ],
};

export const eraAdjustments: RawTable = {
  name: 'era_adjustments',
  columns: [
    ...detailKeys,
    int('line_segment_no', 'segment_no of the SVC; null for claim-level CAS'),
    v('adjustment_level', "'claim' or 'line'"),
    int('triplet_index', '1-6: which reason/amount/quantity triplet of the CAS'),
    v('group_code', 'CAS01: CO, PR, OA, PI'),
    v('reason_code', 'CARC'),
    money('amount', 'positive reduces payment'),
    qty('quantity'),
  ],
};

export const eraRemarks: RawTable = {
  name: 'era_remarks',
  columns: [
    ...detailKeys,
    int('line_segment_no'),
    v('qualifier', 'LQ01: HE = RARC'),
    v('remark_code', 'LQ02'),
  ],
};

export const eraProviderAdjustments: RawTable = {
  name: 'era_provider_adjustments',
  columns: [
    ...keys,
    int('pair_index', '1-6: which reason/amount pair of the PLB'),
    v('provider_id', 'PLB01'),
    date('fiscal_period_date', 'PLB02'),
    v('reason_code', 'PLB03-1: WO, FB, L6, 72, CS, ...'),
    v('reference_id', 'PLB03-2'),
    money('amount', 'positive reduces payment'),
  ],
};

export const eraClaimEntities: RawTable = {
  name: 'era_claim_entities',
  columns: [
    ...detailKeys,
    v('entity_code', 'NM101: QC, IL, 74, 82, TT, PR, GB'),
    v('entity_type', 'NM102'),
    v('last_name'),
    v('first_name'),
    v('middle_name'),
    v('suffix'),
    v('id_qualifier'),
    v('id'),
  ],
};

/**
 * REF, AMT, QTY and DTM segments, whichever level they belong to, as qualifier/value rows, except the ones
 * already kept as columns (claims: REF*F8, AMT*AU, DTM*232/233/050/036; lines: REF*6R, AMT*B6,
 * DTM*472/150/151). Claim entities likewise hold the NM1s not kept as claim columns (TT, PR, GB, ...).
 */
export const eraReferences: RawTable = {
  name: 'era_references',
  columns: [
    ...detailKeys,
    int('line_segment_no'),
    v('reference_level', "'header', 'payer', 'payee', 'claim' or 'line'"),
    v('qualifier'),
    v('value'),
  ],
};

export const eraAmounts: RawTable = {
  name: 'era_amounts',
  columns: [...detailKeys, int('line_segment_no'), v('amount_level'), v('qualifier'), money('amount')],
};

export const eraQuantities: RawTable = {
  name: 'era_quantities',
  columns: [...detailKeys, int('line_segment_no'), v('quantity_level'), v('qualifier'), qty('quantity')],
};

export const eraDates: RawTable = {
  name: 'era_dates',
  columns: [...detailKeys, int('line_segment_no'), v('date_level'), v('qualifier'), date('date_value')],
};

export const eraProviderSummaries: RawTable = {
  name: 'era_provider_summaries',
  columns: [
    ...keys,
    v('header_number', 'LX01'),
    v('provider_id', 'TS301'),
    v('facility_type_code', 'TS302'),
    date('fiscal_period_date', 'TS303'),
    v('claim_count', 'TS304'),
    money('total_charge', 'TS305'),
  ],
};

export const eraImbalances: RawTable = {
  name: 'era_imbalances',
  columns: [
    ...keys,
    v('imbalance_level', "'line', 'claim' or 'transaction'"),
    int('claim_segment_no'),
    v('patient_control_number'),
    money('stated_amount', 'SVC03, CLP04 or BPR02'),
    money('computed_amount', 'SVC02 - sum(CAS), CLP03 - sum(CAS), or sum(CLP04) - sum(PLB)'),
    money('difference', 'computed - stated'),
    v('rule'),
  ],
};

export const ack277Statuses: RawTable = {
  name: 'ack_277_statuses',
  columns: [
    ...keys,
    v('group_control_number'),
    v('version', '005010X214 (277CA) or 005010X212'),
    v('status_level', "'information_source', 'information_receiver', 'provider', 'claim', 'service_line'"),
    v('hl_id'),
    v('parent_hl_id'),
    v('entity_code', 'NM101 of the level'),
    v('entity_name'),
    v('entity_id_qualifier'),
    v('entity_id'),
    v('trace_number', 'TRN02; at claim level the patient control number (CLM01)'),
    v('payer_claim_control_number', 'REF*1K'),
    v('clearinghouse_trace_number', 'REF*D9'),
    v('bill_type', 'REF*BLT'),
    v('category_code', 'STC01-1: A1 received, A2 accepted, A3/A6/A7/A8 rejected, ...'),
    v('status_code', 'STC01-2'),
    v('entity_identifier_code', 'STC01-3'),
    date('status_date', 'STC02'),
    v('action_code', 'STC03'),
    money('charge_amount', 'STC04'),
    money('paid_amount', 'STC05'),
    v('additional_statuses', 'STC10, STC11'),
    date('service_from_date', 'DTP*472'),
    date('service_to_date'),
    v('procedure_code', 'SVC01-2 for service line statuses'),
    v('line_control_number', 'REF*FJ'),
    qty('accepted_quantity', 'QTY*90'),
    qty('rejected_quantity', 'QTY*AA'),
    money('accepted_amount', 'AMT*YU'),
    money('rejected_amount', 'AMT*YY'),
    bool('is_rejection', 'category A3, A6, A7 or A8'),
    bool('is_acceptance', 'category A2'),
  ],
};

const ackKeys: Column[] = [...keys, v('group_control_number'), v('version')];

export const ack999TransactionSets: RawTable = {
  name: 'ack_999_transaction_sets',
  columns: [
    ...ackKeys,
    v('ack_group_functional_id', 'AK101'),
    v('ack_group_control_number', 'AK102 = GS06 of the acknowledged group'),
    v('ack_group_version', 'AK103'),
    v('ack_transaction_set_id', 'AK201'),
    v('ack_transaction_control_number', 'AK202 = ST02 of the acknowledged set'),
    v('ack_transaction_version', 'AK203'),
    v('ack_code', 'IK501: A, E accepted; R, M, W, X rejected'),
    v('syntax_error_codes', 'IK502..IK506'),
    int('error_count', 'IK3 and IK4 segments'),
    bool('is_accepted'),
    bool('is_rejected'),
  ],
};

export const ack999Groups: RawTable = {
  name: 'ack_999_groups',
  columns: [
    ...ackKeys,
    v('ack_group_functional_id'),
    v('ack_group_control_number'),
    v('ack_group_version'),
    v('ack_code', 'AK901: A, E, P, R, M, W, X'),
    int('transaction_sets_included', 'AK902'),
    int('transaction_sets_received', 'AK903'),
    int('transaction_sets_accepted', 'AK904'),
    v('syntax_error_codes', 'AK905..AK909'),
  ],
};

export const ack999Errors: RawTable = {
  name: 'ack_999_errors',
  columns: [
    ...ackKeys,
    int('transaction_set_segment_no', 'segment_no of the AK2'),
    v('ack_transaction_control_number'),
    v('error_kind', "'segment' (IK3) or 'element' (IK4)"),
    v('segment_id', 'IK301'),
    v('segment_position', 'IK302'),
    v('loop_id', 'IK303'),
    v('error_code', 'IK304 or IK403'),
    v('element_position', 'IK401'),
    v('element_reference', 'IK402'),
    v('bad_value', 'IK404'),
    v('context', 'CTX segments'),
  ],
};

/** 837P claim-scoped rows point at their CLM; CLM01 goes in patient_control_number, as CLP01 echoes it in the 835. */
const claim837Keys: Column[] = [
  ...keys,
  v('group_control_number', 'GS06'),
  int('claim_segment_no', 'segment_no of the CLM'),
  v('patient_control_number', 'CLM01, the claim id'),
];

export const claim837Claims: RawTable = {
  name: 'claim_837_claims',
  columns: [
    ...claim837Keys,
    v('version', 'ST03 or GS08: 005010X222A1'),
    v('transaction_reference', 'BHT03'),
    date('transaction_date', 'BHT04'),
    money('charge_amount', 'CLM02'),
    v('place_of_service', 'CLM05-1'),
    v('facility_code_qualifier', 'CLM05-2'),
    v('frequency_code', 'CLM05-3: 1 original, 7 replacement, 8 void'),
    v('original_reference_number', 'REF*F8: payer claim number a replacement or void refers to'),
    v('billing_provider_name', 'NM1*85'),
    v('billing_provider_npi', 'NM1*85 with XX'),
    v('billing_provider_tax_id', 'REF*EI'),
    v('rendering_provider_npi', 'NM1*82 of the claim (2310B); null when the billing provider rendered'),
    v('payer_responsibility', 'SBR01: P, S, T, ...'),
    v('claim_filing_indicator', 'SBR09'),
    v('relationship_code', 'SBR02 (18 = self) or PAT01'),
    v('payer_name', '2010BB NM1*PR'),
    v('payer_id_qualifier', 'NM108 (PI, XV)'),
    v('payer_id', 'NM109'),
    v('subscriber_last_name', 'NM1*IL; stops in staging'),
    v('subscriber_first_name'),
    v('member_id', 'NM1*IL NM109; stops in staging'),
    v('patient_last_name', 'NM1*QC, else the subscriber; stops in staging'),
    v('patient_first_name'),
    money('line_charge_amount', 'sum of SV102'),
    bool('is_balanced', 'CLM02 = sum of SV102'),
    int('service_line_count'),
    int('diagnosis_count'),
  ],
};

export const claim837ServiceLines: RawTable = {
  name: 'claim_837_service_lines',
  columns: [
    ...claim837Keys,
    int('line_number', 'LX01'),
    v('procedure_qualifier', 'SV101-1 (HC)'),
    v('procedure_code', 'SV101-2'),
    v('modifier_1', 'SV101-3'),
    v('modifier_2'),
    v('modifier_3'),
    v('modifier_4'),
    v('procedure_description', 'SV101-7'),
    money('charge_amount', 'SV102'),
    v('unit_basis', 'SV103: UN units, MJ minutes'),
    qty('units', 'SV104'),
    v('place_of_service', 'SV105, when it differs from the claim'),
    v('diagnosis_pointers', 'SV107 components joined with :'),
    date('service_from_date', 'DTP*472 (D8, or RD8 start)'),
    date('service_to_date', 'DTP*472 (RD8 end; the D8 date otherwise)'),
    v('line_control_number', 'REF*6R'),
    v('rendering_provider_npi', 'NM1*82 of the line (2420A)'),
  ],
};

export const claim837Diagnoses: RawTable = {
  name: 'claim_837_diagnoses',
  columns: [
    ...claim837Keys,
    int('diagnosis_order', '1-based over the claim: what SV107 pointers refer to'),
    v('qualifier', 'ABK/BK principal, ABF/BF other'),
    v('diagnosis_code', 'as sent, without the decimal point'),
  ],
};

/** Every raw X12 table: migration 0003's in the order it created them, then 0016's (837P). */
export const x12RawTables: RawTable[] = [
  eraRemittances,
  eraClaims,
  eraServiceLines,
  eraAdjustments,
  eraRemarks,
  eraProviderAdjustments,
  eraClaimEntities,
  eraReferences,
  eraAmounts,
  eraQuantities,
  eraDates,
  eraProviderSummaries,
  eraImbalances,
  ack277Statuses,
  ack999TransactionSets,
  ack999Groups,
  ack999Errors,
  claim837Claims,
  claim837ServiceLines,
  claim837Diagnoses,
];

/** The SQL type each column type is stored as. */
export function sqlType(type: ColumnType): string {
  return SQL_TYPES[type];
}

function columnSql(column: Column): string {
  return `${column.name} ${SQL_TYPES[column.type]}${column.notNull ? ' not null' : ''}`;
}

/** A table as the catalogue describes it, for tests that write through the loader's writer alone. */
export function createTableSql(table: RawTable): string {
  return `create table raw.${table.name} (\n  ${table.columns.map(columnSql).join(',\n  ')}\n)`;
}
