import type { FileLoader, FileWarning, LoaderContext } from '../warehouse/load-file.ts';
import type { ClaimStatus } from '../x12/ack277.ts';
import type { AckError, AckGroup, AckTransactionSet } from '../x12/ack999.ts';
import type { Claim, Imbalance, Remittance } from '../x12/era835.ts';
import { issueError, segmentLocation } from '../x12/errors.ts';
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
  w.remittances.append({
    ...keys,
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
    payee_tax_id:
      r.payee.idQualifier === 'FI'
        ? r.payee.id
        : (r.references.find((ref) => ref.level === 'payee' && ref.qualifier === 'TJ')?.value ?? null),
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
  });
  for (const p of r.providerAdjustments) {
    w.providerAdjustments.append({
      ...keys,
      segment_no: p.segmentNo,
      byte_offset: p.offset,
      pair_index: p.pairIndex,
      provider_id: p.providerId,
      fiscal_period_date: p.fiscalPeriodDate,
      reason_code: p.reasonCode,
      reference_id: p.reference,
      amount: p.amountCents,
    });
  }
  for (const s of r.summaries) {
    w.summaries.append({
      ...keys,
      segment_no: s.segmentNo,
      byte_offset: s.offset,
      header_number: s.headerNumber,
      provider_id: s.providerId,
      facility_type_code: s.facilityTypeCode,
      fiscal_period_date: s.fiscalPeriodDate,
      claim_count: s.claimCount,
      total_charge: s.totalChargeCents,
    });
  }
  for (const ref of r.references) {
    w.references.append({
      ...keys,
      segment_no: ref.segmentNo,
      byte_offset: ref.offset,
      reference_level: ref.level,
      qualifier: ref.qualifier,
      value: ref.value,
    });
  }
}

function writeClaim(w: Writers, c: Claim): void {
  const keys = {
    interchange_control_number: c.interchangeControlNumber,
    transaction_control_number: c.transactionControlNumber,
    claim_segment_no: c.segmentNo,
    patient_control_number: c.patientControlNumber,
  };
  const entity = (code: string) => c.entities.find((e) => e.entityCode === code);
  const patient = entity('QC');
  const insured = entity('IL');
  const corrected = entity('74');
  const rendering = entity('82');
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
    coverage_amount: c.amounts.find((a) => a.qualifier === 'AU')?.amountCents ?? null,
    inpatient_adjudication: c.inpatient ? c.inpatient.map((x) => x ?? '').join('*') : null,
    outpatient_adjudication: outpatient ? outpatient.map((x) => x ?? '').join('*') : null,
    outpatient_remark_codes: outpatient
      ? outpatient
          .slice(2, 7)
          .filter((x) => x !== null)
          .join(',') || null
      : null,
    claim_adjustment_amount: claimAdjusted,
    line_adjustment_amount: lineAdjusted,
    balance_difference: c.differenceCents,
    is_balanced: c.differenceCents === 0n && c.lines.every((line) => line.differenceCents === 0n),
    service_line_count: c.lines.length,
  });
  for (const a of c.adjustments) {
    w.adjustments.append({
      ...keys,
      segment_no: a.segmentNo,
      byte_offset: a.offset,
      line_segment_no: null,
      adjustment_level: 'claim',
      triplet_index: a.tripletIndex,
      group_code: a.groupCode,
      reason_code: a.reasonCode,
      amount: a.amountCents,
      quantity: a.quantity,
    });
  }
  for (const e of c.entities) {
    w.entities.append({
      ...keys,
      segment_no: e.segmentNo,
      byte_offset: e.offset,
      entity_code: e.entityCode,
      entity_type: e.entityType,
      last_name: e.lastName,
      first_name: e.firstName,
      middle_name: e.middleName,
      suffix: e.suffix,
      id_qualifier: e.idQualifier,
      id: e.id,
    });
  }
  writeDetails(w, keys, 'claim', null, c);
  for (const line of c.lines) {
    const adjusted = line.adjustments.reduce((sum, a) => sum + (a.amountCents ?? 0n), 0n);
    const original = line.originalProcedure;
    w.lines.append({
      ...keys,
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
    });
    for (const a of line.adjustments) {
      w.adjustments.append({
        ...keys,
        segment_no: a.segmentNo,
        byte_offset: a.offset,
        line_segment_no: line.segmentNo,
        adjustment_level: 'line',
        triplet_index: a.tripletIndex,
        group_code: a.groupCode,
        reason_code: a.reasonCode,
        amount: a.amountCents,
        quantity: a.quantity,
      });
    }
    for (const remark of line.remarks) {
      w.remarks.append({
        ...keys,
        segment_no: remark.segmentNo,
        byte_offset: remark.offset,
        line_segment_no: line.segmentNo,
        qualifier: remark.qualifier,
        remark_code: remark.code,
      });
    }
    writeDetails(w, keys, 'line', line.segmentNo, line);
  }
}

/** REF, AMT, QTY and DTM rows of a claim or a line. */
function writeDetails(
  w: Writers,
  keys: Record<string, string | number | null>,
  level: 'claim' | 'line',
  lineSegmentNo: number | null,
  holder: Pick<Claim, 'references' | 'amounts' | 'quantities' | 'dates'>,
): void {
  for (const ref of holder.references) {
    w.references.append({
      ...keys,
      segment_no: ref.segmentNo,
      byte_offset: ref.offset,
      line_segment_no: lineSegmentNo,
      reference_level: level,
      qualifier: ref.qualifier,
      value: ref.value,
    });
  }
  for (const amount of holder.amounts) {
    w.amounts.append({
      ...keys,
      segment_no: amount.segmentNo,
      byte_offset: amount.offset,
      line_segment_no: lineSegmentNo,
      amount_level: level,
      qualifier: amount.qualifier,
      amount: amount.amountCents,
    });
  }
  for (const quantity of holder.quantities) {
    const value =
      quantity.quantity !== null && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(quantity.quantity)
        ? quantity.quantity
        : null;
    w.quantities.append({
      ...keys,
      segment_no: quantity.segmentNo,
      byte_offset: quantity.offset,
      line_segment_no: lineSegmentNo,
      quantity_level: level,
      qualifier: quantity.qualifier,
      quantity: value,
    });
  }
  for (const d of holder.dates) {
    w.dates.append({
      ...keys,
      segment_no: d.segmentNo,
      byte_offset: d.offset,
      line_segment_no: lineSegmentNo,
      date_level: level,
      qualifier: d.qualifier,
      date_value: d.date,
    });
  }
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
  const numeric = (text: string | null) =>
    text !== null && /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text) ? text : null;
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
    accepted_quantity: numeric(s.acceptedQuantity),
    rejected_quantity: numeric(s.rejectedQuantity),
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
