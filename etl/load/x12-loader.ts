import type { FileLoader, FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import type { ClaimStatus } from '../x12/ack277.ts';
import type { AckError, AckGroup, AckTransactionSet } from '../x12/ack999.ts';
import type { Claim, Imbalance, Remittance } from '../x12/era835.ts';
import { issueError, segmentLocation, X12Error } from '../x12/errors.ts';
import { parseX12File, type X12Sink } from '../x12/parse.ts';
import {
  ack277Statuses,
  ack999Errors,
  ack999Groups,
  ack999TransactionSets,
  eraAdjustments,
  eraAmounts,
  eraClaimEntities,
  eraClaims,
  eraDates,
  eraImbalances,
  eraProviderAdjustments,
  eraProviderSummaries,
  eraQuantities,
  eraReferences,
  eraRemarks,
  eraRemittances,
  eraServiceLines,
  type RawTable,
} from '../x12/raw-tables.ts';
import { TableWriter } from './x12-table-writer.ts';

const tables = {
  remittances: eraRemittances,
  claims: eraClaims,
  lines: eraServiceLines,
  adjustments: eraAdjustments,
  remarks: eraRemarks,
  providerAdjustments: eraProviderAdjustments,
  entities: eraClaimEntities,
  references: eraReferences,
  amounts: eraAmounts,
  quantities: eraQuantities,
  dates: eraDates,
  summaries: eraProviderSummaries,
  imbalances: eraImbalances,
  statuses: ack277Statuses,
  ackSets: ack999TransactionSets,
  ackGroups: ack999Groups,
  ackErrors: ack999Errors,
} satisfies Record<string, RawTable>;

type Writers = Record<keyof typeof tables, TableWriter>;

/**
 * Loads any X12 file the engine reads (835, 277CA/277, 999) into the raw tables, streaming: rows go to the
 * appenders while the file is parsed, inside the transaction the caller (loadFile) holds. A file with errors
 * (unparseable, missing trailers, unsupported version, malformed payment amounts) throws X12Error after parsing,
 * so the caller rolls everything back and quarantines it; warnings (SE counts, imbalances are rows, not
 * warnings) are returned for raw.file_warnings.
 */
export const loadX12: FileLoader = async (context: LoaderContext) => {
  const writers = {} as Writers;
  for (const [key, table] of Object.entries(tables) as [keyof typeof tables, RawTable][]) {
    writers[key] = new TableWriter(
      await context.appender(table.name),
      table,
      context.practiceId,
      context.fileId,
    );
  }
  const result = await parseX12File(context.filePath, x12RowSink(writers), { fileName: context.fileName });
  const error = result.issues.find((issue) => issue.severity === 'error');
  if (error) throw issueError(context.fileName, error);
  const types = result.summary.transactionTypes;
  if (!types.has('835') && !types.has('277CA') && !types.has('277') && !types.has('999')) {
    // X12, but nothing the warehouse keeps (an 837, an 834 …): refused rather than loaded empty.
    const first = result.issues.find((issue) => issue.code === 'x12.not_parsed');
    throw new X12Error({
      file: context.fileName,
      segmentNo: first?.segmentNo ?? 0,
      offset: first?.offset ?? 0,
      expected: 'an 835, 277CA or 999 transaction set',
      found: `transaction set ${[...types.keys()].join(', ') || 'none'}`,
    });
  }
  let rowCount = 0;
  for (const writer of Object.values(writers)) {
    writer.flush();
    rowCount += writer.rowCount;
  }
  const warnings: FileWarning[] = result.issues.map((issue) => ({
    location: segmentLocation(issue.segmentNo, issue.offset),
    code: issue.code,
    message: issue.message,
  }));
  return { rowCount, warnings };
};

/** Maps parsed records to raw rows. Exported for the benchmark, which measures parse + load without a registry. */
export function x12RowSink(w: Writers): X12Sink {
  return {
    remittance: (r) => writeRemittance(w, r),
    claim: (c) => writeClaim(w, c),
    imbalance: (i) => writeImbalance(w, i),
    claimStatus: (s) => writeStatus(w, s),
    ackTransactionSet: (s) => writeAckSet(w, s),
    ackGroup: (g) => writeAckGroup(w, g),
    ackError: (e) => writeAckError(w, e),
  };
}

export { tables as x12Tables, type Writers as X12Writers };

function writeRemittance(w: Writers, r: Remittance): void {
  const keys = {
    interchange_control_number: r.interchangeControlNumber,
    transaction_control_number: r.transactionControlNumber,
  };
  w.remittances.append(
    {
      segment_no: r.segmentNo,
      byte_offset: r.offset,
      payer_name: r.payer.name,
      payee_name: r.payee.name,
      payee_npi: r.payee.idQualifier === 'XX' ? r.payee.id : null,
      total_paid: r.totalPaidCents,
      credit_debit_flag: r.creditDebitFlag,
      payment_method: r.paymentMethod,
      payment_date: r.paymentDate,
      trace_number: r.traceNumber,
      group_control_number: r.groupControlNumber,
      version: r.version,
      end_segment_no: r.endSegmentNo,
      transaction_handling_code: r.transactionHandlingCode,
      payment_format: r.paymentFormat,
      sender_dfi_id: r.senderDfiId,
      sender_account_number: r.senderAccountNumber,
      receiver_dfi_id: r.receiverDfiId,
      receiver_account_number: r.receiverAccountNumber,
      trace_type_code: r.traceTypeCode,
      originating_company_id: r.originatingCompanyId,
      originating_company_supplemental_code: r.originatingCompanySupplementalCode,
      currency_code: r.currencyCode,
      receiver_id: r.receiverId,
      production_date: r.productionDate,
      payer_id_qualifier: r.payer.idQualifier,
      payer_id: r.payer.id,
      payer_address_1: r.payer.address1,
      payer_address_2: r.payer.address2,
      payer_city: r.payer.city,
      payer_state: r.payer.state,
      payer_postal_code: r.payer.postalCode,
      payer_contact_name: r.payer.contactName,
      payer_contact_phone: r.payer.contactPhone,
      payee_id_qualifier: r.payee.idQualifier,
      payee_id: r.payee.id,
      payee_tax_id: r.payee.idQualifier === 'FI' ? r.payee.id : payeeTaxReference(r),
      payee_address_1: r.payee.address1,
      payee_address_2: r.payee.address2,
      payee_city: r.payee.city,
      payee_state: r.payee.state,
      payee_postal_code: r.payee.postalCode,
      claim_count: r.claimCount,
      service_line_count: r.serviceLineCount,
      claims_paid: r.claimsPaidCents,
      plb_total: r.plbTotalCents,
      balance_difference: r.transactionDifferenceCents,
      is_balanced: r.balanced,
      imbalance_count: r.imbalanceCount,
    },
    keys,
  );
  for (const p of r.providerAdjustments) {
    w.providerAdjustments.append(
      {
        segment_no: p.segmentNo,
        byte_offset: p.offset,
        pair_index: p.pairIndex,
        provider_id: p.providerId,
        fiscal_period_date: p.fiscalPeriodDate,
        reason_code: p.reasonCode,
        reference_id: p.reference,
        amount: p.amountCents,
      },
      keys,
    );
  }
  for (const s of r.summaries) {
    w.summaries.append(
      {
        segment_no: s.segmentNo,
        byte_offset: s.offset,
        header_number: s.headerNumber,
        provider_id: s.providerId,
        facility_type_code: s.facilityTypeCode,
        fiscal_period_date: s.fiscalPeriodDate,
        claim_count: s.claimCount,
        total_charge: s.totalChargeCents,
      },
      keys,
    );
  }
  for (const ref of r.references) {
    w.references.append(
      {
        segment_no: ref.segmentNo,
        claim_segment_no: null,
        reference_level: ref.level,
        qualifier: ref.qualifier,
        value: ref.value,
      },
      keys,
    );
  }
}

function writeClaim(w: Writers, c: Claim): void {
  const keys = {
    interchange_control_number: c.interchangeControlNumber,
    transaction_control_number: c.transactionControlNumber,
    claim_segment_no: c.segmentNo,
    patient_control_number: c.patientControlNumber,
  };
  const detail = {
    interchange_control_number: c.interchangeControlNumber,
    transaction_control_number: c.transactionControlNumber,
    claim_segment_no: c.segmentNo,
  };
  const patient = findEntity(c, 'QC');
  const insured = findEntity(c, 'IL');
  const corrected = findEntity(c, '74');
  const rendering = findEntity(c, '82');
  let claimAdjusted = 0n;
  for (const a of c.adjustments) claimAdjusted += a.amountCents ?? 0n;
  let lineAdjusted = 0n;
  for (const line of c.lines) for (const a of line.adjustments) lineAdjusted += a.amountCents ?? 0n;
  const outpatient = c.outpatient;
  w.claims.append({
    transaction_control_number: c.transactionControlNumber,
    segment_no: c.segmentNo,
    patient_control_number: c.patientControlNumber,
    claim_status_code: c.statusCode,
    charge_amount: c.chargeCents,
    paid_amount: c.paidCents,
    patient_responsibility_amount: c.patientResponsibilityCents,
    payer_claim_control_number: c.payerClaimControlNumber,
    interchange_control_number: c.interchangeControlNumber,
    byte_offset: c.offset,
    header_number: c.headerNumber,
    claim_filing_indicator: c.claimFilingIndicator,
    facility_type_code: c.facilityTypeCode,
    frequency_code: c.frequencyCode,
    drg_code: c.drgCode,
    drg_weight: c.drgWeight,
    discharge_fraction: c.dischargeFraction,
    claim_role: c.role,
    reversal_segment_no: c.reversalSegmentNo,
    original_payer_claim_control_number: c.originalPayerClaimControlNumber,
    patient_last_name: patient?.lastName,
    patient_first_name: patient?.firstName,
    patient_middle_name: patient?.middleName,
    patient_id_qualifier: patient?.idQualifier,
    patient_id: patient?.id,
    insured_last_name: insured?.lastName,
    insured_first_name: insured?.firstName,
    insured_id: insured?.id,
    corrected_last_name: corrected?.lastName,
    corrected_first_name: corrected?.firstName,
    corrected_id: corrected?.id,
    rendering_provider_last_name: rendering?.lastName,
    rendering_provider_first_name: rendering?.firstName,
    rendering_provider_id_qualifier: rendering?.idQualifier,
    rendering_provider_id: rendering?.id,
    rendering_provider_npi: rendering?.idQualifier === 'XX' ? rendering.id : null,
    statement_from_date: c.statementFromDate,
    statement_to_date: c.statementToDate,
    received_date: c.receivedDate,
    coverage_expiration_date: c.coverageExpirationDate,
    coverage_amount: findAmount(c.amounts, 'AU'),
    inpatient_adjudication: c.inpatient ? joinElements(c.inpatient, 0, c.inpatient.length, '*') : null,
    outpatient_adjudication: outpatient ? joinElements(outpatient, 0, outpatient.length, '*') : null,
    outpatient_remark_codes: outpatient ? joinElements(outpatient, 2, 7, ',', true) || null : null,
    claim_adjustment_amount: claimAdjusted,
    line_adjustment_amount: lineAdjusted,
    balance_difference: c.differenceCents,
    is_balanced: c.differenceCents === 0n && linesBalance(c),
    service_line_count: c.lines.length,
  });
  for (const a of c.adjustments) {
    w.adjustments.append(
      {
        segment_no: a.segmentNo,
        line_segment_no: null,
        adjustment_level: 'claim',
        triplet_index: a.tripletIndex,
        group_code: a.groupCode,
        reason_code: a.reasonCode,
        amount: a.amountCents,
        quantity: a.quantity,
      },
      detail,
    );
  }
  for (const e of c.entities) {
    if (e === patient || e === insured || e === corrected || e === rendering) continue;
    w.entities.append(
      {
        segment_no: e.segmentNo,
        entity_code: e.entityCode,
        entity_type: e.entityType,
        last_name: e.lastName,
        first_name: e.firstName,
        middle_name: e.middleName,
        suffix: e.suffix,
        id_qualifier: e.idQualifier,
        id: e.id,
      },
      detail,
    );
  }
  writeDetails(w, detail, 'claim', null, c, CLAIM_COLUMNS);
  for (const line of c.lines) {
    let adjusted = 0n;
    for (const a of line.adjustments) adjusted += a.amountCents ?? 0n;
    const original = line.originalProcedure;
    w.lines.append(
      {
        segment_no: line.segmentNo,
        byte_offset: line.offset,
        line_number: line.lineNumber,
        procedure_qualifier: line.procedure.qualifier,
        procedure_code: line.procedure.code,
        modifier_1: line.procedure.modifiers[0],
        modifier_2: line.procedure.modifiers[1],
        modifier_3: line.procedure.modifiers[2],
        modifier_4: line.procedure.modifiers[3],
        procedure_description: line.procedure.description,
        charge_amount: line.chargeCents,
        paid_amount: line.paidCents,
        revenue_code: line.revenueCode,
        units: line.units,
        is_recoded: original !== null,
        original_procedure_qualifier: original?.qualifier,
        original_procedure_code: original?.code,
        original_modifier_1: original?.modifiers[0],
        original_modifier_2: original?.modifiers[1],
        original_modifier_3: original?.modifiers[2],
        original_modifier_4: original?.modifiers[3],
        original_units: line.originalUnits,
        service_date: line.serviceDate,
        service_from_date: line.serviceFromDate,
        service_to_date: line.serviceToDate,
        line_control_number: line.lineControlNumber,
        allowed_amount: line.allowedCents,
        adjustment_amount: adjusted,
        balance_difference: line.differenceCents,
        is_balanced: line.differenceCents === 0n,
      },
      keys,
    );
    for (const a of line.adjustments) {
      w.adjustments.append(
        {
          segment_no: a.segmentNo,
          line_segment_no: line.segmentNo,
          adjustment_level: 'line',
          triplet_index: a.tripletIndex,
          group_code: a.groupCode,
          reason_code: a.reasonCode,
          amount: a.amountCents,
          quantity: a.quantity,
        },
        detail,
      );
    }
    for (const remark of line.remarks) {
      w.remarks.append(
        {
          segment_no: remark.segmentNo,
          line_segment_no: line.segmentNo,
          qualifier: remark.qualifier,
          remark_code: remark.code,
        },
        detail,
      );
    }
    writeDetails(w, detail, 'line', line.segmentNo, line, LINE_COLUMNS);
  }
}

/** Qualifiers kept as claim or line columns: not repeated in the qualifier/value tables. */
interface Flattened {
  references: readonly string[];
  amounts: readonly string[];
  dates: readonly string[];
}
const CLAIM_COLUMNS: Flattened = {
  references: ['F8'],
  amounts: ['AU'],
  dates: ['232', '233', '050', '036'],
};
const LINE_COLUMNS: Flattened = {
  references: ['6R'],
  amounts: ['B6'],
  dates: ['472', '150', '151'],
};

/** REF, AMT, QTY and DTM rows of a claim or a line, but the first of each qualifier kept as a column. */
function writeDetails(
  w: Writers,
  keys: Record<string, string | number | null>,
  level: 'claim' | 'line',
  lineSegmentNo: number | null,
  holder: Pick<Claim, 'references' | 'amounts' | 'quantities' | 'dates'>,
  flattened: Flattened,
): void {
  // One bit per kept qualifier, set once its first segment has gone to the claim or line row.
  let seenReferences = 0;
  let seenAmounts = 0;
  let seenDates = 0;
  for (const ref of holder.references) {
    const bit = keptBit(flattened.references, ref.qualifier);
    if (bit !== 0 && (seenReferences & bit) === 0) {
      seenReferences |= bit;
      continue;
    }
    w.references.append(
      {
        segment_no: ref.segmentNo,
        line_segment_no: lineSegmentNo,
        reference_level: level,
        qualifier: ref.qualifier,
        value: ref.value,
      },
      keys,
    );
  }
  for (const amount of holder.amounts) {
    const bit = keptBit(flattened.amounts, amount.qualifier);
    if (bit !== 0 && (seenAmounts & bit) === 0) {
      seenAmounts |= bit;
      continue;
    }
    w.amounts.append(
      {
        segment_no: amount.segmentNo,
        line_segment_no: lineSegmentNo,
        amount_level: level,
        qualifier: amount.qualifier,
        amount: amount.amountCents,
      },
      keys,
    );
  }
  for (const quantity of holder.quantities) {
    w.quantities.append(
      {
        segment_no: quantity.segmentNo,
        line_segment_no: lineSegmentNo,
        quantity_level: level,
        qualifier: quantity.qualifier,
        quantity: quantity.quantity,
      },
      keys,
    );
  }
  for (const d of holder.dates) {
    const bit = keptBit(flattened.dates, d.qualifier);
    if (bit !== 0 && (seenDates & bit) === 0) {
      seenDates |= bit;
      continue;
    }
    w.dates.append(
      {
        segment_no: d.segmentNo,
        line_segment_no: lineSegmentNo,
        date_level: level,
        qualifier: d.qualifier,
        date_value: d.date,
      },
      keys,
    );
  }
}

// Plain helpers, not closures: the hot path creates no functions per record.

/** The bit of a qualifier kept as a column (its index in `kept`), 0 when it is not kept. */
function keptBit(kept: readonly string[], qualifier: string): number {
  const index = kept.indexOf(qualifier);
  return index < 0 ? 0 : 1 << index;
}

function findEntity(claim: Claim, code: string): Claim['entities'][number] | undefined {
  for (const entity of claim.entities) if (entity.entityCode === code) return entity;
  return undefined;
}

function findAmount(amounts: Claim['amounts'], qualifier: string): bigint | null {
  for (const amount of amounts) if (amount.qualifier === qualifier) return amount.amountCents;
  return null;
}

function linesBalance(claim: Claim): boolean {
  for (const line of claim.lines) if (line.differenceCents !== 0n) return false;
  return true;
}

function payeeTaxReference(r: Remittance): string | null {
  for (const ref of r.references) if (ref.level === 'payee' && ref.qualifier === 'TJ') return ref.value;
  return null;
}

/** Elements from..to-1 joined; nulls as empty (or skipped). */
function joinElements(
  values: (string | null)[],
  from: number,
  to: number,
  separator: string,
  skipNull = false,
): string {
  let out = '';
  let first = true;
  for (let i = from; i < Math.min(to, values.length); i++) {
    const value = values[i] ?? null;
    if (value === null && skipNull) continue;
    out += (first ? '' : separator) + (value ?? '');
    first = false;
  }
  return out;
}

function writeImbalance(w: Writers, i: Imbalance): void {
  w.imbalances.append({
    interchange_control_number: i.interchangeControlNumber,
    transaction_control_number: i.transactionControlNumber,
    segment_no: i.segmentNo,
    byte_offset: i.offset,
    imbalance_level: i.level,
    claim_segment_no: i.claimSegmentNo,
    patient_control_number: i.patientControlNumber,
    stated_amount: i.statedCents,
    computed_amount: i.computedCents,
    difference: i.differenceCents,
    rule: i.rule,
  });
}

function writeStatus(w: Writers, s: ClaimStatus): void {
  w.statuses.append({
    interchange_control_number: s.interchangeControlNumber,
    transaction_control_number: s.transactionControlNumber,
    segment_no: s.segmentNo,
    byte_offset: s.offset,
    group_control_number: s.groupControlNumber,
    version: s.version,
    status_level: s.level,
    hl_id: s.hlId,
    parent_hl_id: s.parentHlId,
    entity_code: s.entityCode,
    entity_name: s.entityName,
    entity_id_qualifier: s.entityIdQualifier,
    entity_id: s.entityId,
    trace_number: s.traceNumber,
    payer_claim_control_number: s.payerClaimControlNumber,
    clearinghouse_trace_number: s.clearinghouseTraceNumber,
    bill_type: s.billType,
    category_code: s.categoryCode,
    status_code: s.statusCode,
    entity_identifier_code: s.entityIdentifierCode,
    status_date: s.statusDate,
    action_code: s.actionCode,
    charge_amount: s.chargeCents,
    paid_amount: s.paidCents,
    additional_statuses: s.additionalStatuses,
    service_from_date: s.serviceFromDate,
    service_to_date: s.serviceToDate,
    procedure_code: s.procedureCode,
    line_control_number: s.lineControlNumber,
    accepted_quantity: s.acceptedQuantity,
    rejected_quantity: s.rejectedQuantity,
    accepted_amount: s.acceptedAmountCents,
    rejected_amount: s.rejectedAmountCents,
    is_rejection: s.isRejection,
    is_acceptance: s.isAcceptance,
  });
}

function ackKeys(a: AckTransactionSet | AckGroup | AckError) {
  return {
    interchange_control_number: a.interchangeControlNumber,
    transaction_control_number: a.transactionControlNumber,
    segment_no: a.segmentNo,
    byte_offset: a.offset,
    group_control_number: a.groupControlNumber,
    version: a.version,
  };
}

function writeAckSet(w: Writers, s: AckTransactionSet): void {
  w.ackSets.append({
    ...ackKeys(s),
    ack_group_functional_id: s.ackGroupFunctionalId,
    ack_group_control_number: s.ackGroupControlNumber,
    ack_group_version: s.ackGroupVersion,
    ack_transaction_set_id: s.ackTransactionSetId,
    ack_transaction_control_number: s.ackTransactionControlNumber,
    ack_transaction_version: s.ackTransactionVersion,
    ack_code: s.ackCode,
    syntax_error_codes: s.syntaxErrorCodes,
    error_count: s.errorCount,
    is_accepted: s.accepted,
    is_rejected: s.rejected,
  });
}

function writeAckGroup(w: Writers, g: AckGroup): void {
  w.ackGroups.append({
    ...ackKeys(g),
    ack_group_functional_id: g.ackGroupFunctionalId,
    ack_group_control_number: g.ackGroupControlNumber,
    ack_group_version: g.ackGroupVersion,
    ack_code: g.ackCode,
    transaction_sets_included: g.transactionSetsIncluded,
    transaction_sets_received: g.transactionSetsReceived,
    transaction_sets_accepted: g.transactionSetsAccepted,
    syntax_error_codes: g.syntaxErrorCodes,
  });
}

function writeAckError(w: Writers, e: AckError): void {
  w.ackErrors.append({
    ...ackKeys(e),
    transaction_set_segment_no: e.transactionSetSegmentNo,
    ack_transaction_control_number: e.ackTransactionControlNumber,
    error_kind: e.kind,
    segment_id: e.segmentId,
    segment_position: e.segmentPosition,
    loop_id: e.loopId,
    error_code: e.errorCode,
    element_position: e.elementPosition,
    element_reference: e.elementReference,
    bad_value: e.badValue,
    context: e.context,
  });
}
