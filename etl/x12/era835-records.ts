/**
 * The records the 835 parser (era835.ts) hands to its sink: a remittance per transaction set, a claim with its
 * service lines and details as each one ends, and an imbalance per failed balancing rule. Amounts are exact
 * integer cents.
 */

export interface Position {
  /** 1-based number of the segment in the file. */
  segmentNo: number;
  /** Byte offset where the segment starts. */
  offset: number;
}

export interface TransactionKeys {
  interchangeControlNumber: string | null;
  groupControlNumber: string | null;
  transactionControlNumber: string;
}

export interface Party {
  name: string | null;
  idQualifier: string | null;
  id: string | null;
  address1: string | null;
  address2: string | null;
  city: string | null;
  state: string | null;
  postalCode: string | null;
  contactName: string | null;
  contactPhone: string | null;
}

export interface Reference {
  /** 'payer', 'payee', 'header', 'claim' or 'line'. */
  level: string;
  qualifier: string;
  value: string;
  segmentNo: number;
  offset: number;
}

export interface Remittance extends TransactionKeys, Position {
  version: string;
  transactionHandlingCode: string | null; // BPR01
  totalPaidCents: bigint | null; // BPR02
  creditDebitFlag: string | null; // BPR03
  paymentMethod: string | null; // BPR04
  paymentFormat: string | null; // BPR05
  senderDfiId: string | null; // BPR07
  senderAccountNumber: string | null; // BPR09
  receiverDfiId: string | null; // BPR13
  receiverAccountNumber: string | null; // BPR15
  paymentDate: string | null; // BPR16
  traceTypeCode: string | null; // TRN01
  traceNumber: string | null; // TRN02
  originatingCompanyId: string | null; // TRN03
  originatingCompanySupplementalCode: string | null; // TRN04
  currencyCode: string | null; // CUR02
  receiverId: string | null; // REF*EV
  productionDate: string | null; // DTM*405
  payer: Party;
  payee: Party;
  references: Reference[];
  providerAdjustments: ProviderAdjustment[];
  summaries: ProviderSummary[];
  // Computed at SE.
  claimCount: number;
  serviceLineCount: number;
  claimsPaidCents: bigint; // Σ CLP04
  plbTotalCents: bigint; // Σ PLB amounts
  /** Σ CLP04 − Σ PLB − BPR02: zero when the transaction balances. */
  transactionDifferenceCents: bigint;
  /** True when every line, claim and the transaction balance. */
  balanced: boolean;
  imbalanceCount: number;
  endSegmentNo: number;
}

export interface ProviderSummary extends Position {
  headerNumber: string | null; // LX01
  providerId: string | null; // TS301
  facilityTypeCode: string | null; // TS302
  fiscalPeriodDate: string | null; // TS303
  claimCount: string | null; // TS304
  totalChargeCents: bigint | null; // TS305
}

export interface Adjustment extends Position {
  level: 'claim' | 'line';
  /** 1–6: which triplet of the CAS segment. */
  tripletIndex: number;
  groupCode: string;
  reasonCode: string;
  amountCents: bigint | null;
  quantity: string | null;
}

export interface ProviderAdjustment extends Position {
  /** 1–6: which reason/amount pair of the PLB segment. */
  pairIndex: number;
  providerId: string | null; // PLB01
  fiscalPeriodDate: string | null; // PLB02
  reasonCode: string; // PLB03-1 (…13-1)
  reference: string | null; // PLB03-2
  amountCents: bigint | null; // PLB04 (…14)
}

export interface Entity extends Position {
  /** NM101: QC patient, IL insured, 74 corrected patient/insured, 82 rendering provider, TT crossover carrier, PR corrected priority payer, GB other subscriber. */
  entityCode: string;
  entityType: string | null; // NM102
  lastName: string | null; // NM103
  firstName: string | null; // NM104
  middleName: string | null; // NM105
  suffix: string | null; // NM107
  idQualifier: string | null; // NM108
  id: string | null; // NM109
}

export interface DatedValue {
  qualifier: string;
  date: string | null;
  segmentNo: number;
  offset: number;
}

export interface Amount {
  qualifier: string;
  amountCents: bigint | null;
  segmentNo: number;
  offset: number;
}

export interface Quantity {
  qualifier: string;
  quantity: string | null;
  segmentNo: number;
  offset: number;
}

export interface Remark extends Position {
  qualifier: string; // LQ01: HE = remittance advice remark code (RARC), RX = NCPDP reject code
  code: string; // LQ02
}

export interface Procedure {
  qualifier: string | null;
  code: string | null;
  modifiers: (string | null)[];
  description: string | null;
}

export interface ServiceLine extends Position {
  /** 1-based order of the line within its claim. */
  lineNumber: number;
  procedure: Procedure; // SVC01
  chargeCents: bigint | null; // SVC02
  paidCents: bigint | null; // SVC03
  revenueCode: string | null; // SVC04
  units: string | null; // SVC05
  /** SVC06: the procedure as billed, when the payer paid a different one. */
  originalProcedure: Procedure | null;
  originalUnits: string | null; // SVC07
  serviceDate: string | null; // DTM*472
  serviceFromDate: string | null; // DTM*150
  serviceToDate: string | null; // DTM*151
  lineControlNumber: string | null; // REF*6R
  allowedCents: bigint | null; // AMT*B6
  adjustments: Adjustment[];
  remarks: Remark[];
  references: Reference[];
  amounts: Amount[];
  quantities: Quantity[];
  dates: DatedValue[];
  /** SVC02 − Σ line CAS − SVC03: zero when the line balances. */
  differenceCents: bigint;
}

export type ClaimRole = 'original' | 'reversal' | 'correction';

export interface Claim extends TransactionKeys, Position {
  headerNumber: string | null; // LX01 of the enclosing header loop
  patientControlNumber: string; // CLP01
  statusCode: string; // CLP02
  chargeCents: bigint | null; // CLP03
  paidCents: bigint | null; // CLP04
  patientResponsibilityCents: bigint | null; // CLP05
  claimFilingIndicator: string | null; // CLP06
  payerClaimControlNumber: string | null; // CLP07
  facilityTypeCode: string | null; // CLP08
  frequencyCode: string | null; // CLP09
  drgCode: string | null; // CLP11
  drgWeight: string | null; // CLP12
  dischargeFraction: string | null; // CLP13
  /** reversal: CLP02 = 22; correction: follows a reversal of the same patient control number, or carries REF*F8. */
  role: ClaimRole;
  /** For a correction: the segment number of the reversal it follows in this file, if any. */
  reversalSegmentNo: number | null;
  /** The payer claim control number of the claim being reversed or corrected (REF*F8, else the reversal's CLP07). */
  originalPayerClaimControlNumber: string | null;
  entities: Entity[];
  /** MIA (inpatient) and MOA (outpatient) adjudication, element by element (index 0 = MIA01). */
  inpatient: (string | null)[] | null;
  outpatient: (string | null)[] | null;
  statementFromDate: string | null; // DTM*232
  statementToDate: string | null; // DTM*233
  receivedDate: string | null; // DTM*050
  coverageExpirationDate: string | null; // DTM*036
  adjustments: Adjustment[];
  lines: ServiceLine[];
  references: Reference[];
  amounts: Amount[];
  quantities: Quantity[];
  dates: DatedValue[];
  /** CLP03 − Σ claim and line CAS − CLP04: zero when the claim balances. */
  differenceCents: bigint;
}

export interface Imbalance extends TransactionKeys, Position {
  level: 'line' | 'claim' | 'transaction';
  patientControlNumber: string | null;
  claimSegmentNo: number | null;
  /** The amount the file states: SVC03, CLP04 or BPR02. */
  statedCents: bigint;
  /** The amount the balancing rule computes: SVC02 − ΣCAS, CLP03 − ΣCAS, or ΣCLP04 − ΣPLB. */
  computedCents: bigint;
  /** computed − stated. */
  differenceCents: bigint;
  rule: string;
}

export interface Era835Sink {
  claim?(claim: Claim): void;
  remittance?(remittance: Remittance): void;
  imbalance?(imbalance: Imbalance): void;
}
