import type { RowBuffer, RowValue } from '../warehouse/raw-row-buffers.ts';
import type { Claim, Imbalance, Remittance } from '../x12/era835-records.ts';
import type { X12Writers as Writers } from './x12-tables.ts';

/** 835 records as raw rows: remittances, claims with their lines and details, provider adjustments, imbalances. */

export function writeRemittance(w: Writers, r: Remittance): void {
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

export function writeClaim(w: Writers, c: Claim): void {
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
  appendDetails(
    w.references,
    holder.references,
    flattened.references,
    keys,
    level,
    lineSegmentNo,
    referenceRow,
  );
  appendDetails(w.amounts, holder.amounts, flattened.amounts, keys, level, lineSegmentNo, amountRow);
  appendDetails(w.quantities, holder.quantities, [], keys, level, lineSegmentNo, quantityRow);
  appendDetails(w.dates, holder.dates, flattened.dates, keys, level, lineSegmentNo, dateRow);
}

type DetailRow<T> = (item: T, level: string, lineSegmentNo: number | null) => Record<string, RowValue>;

/** Appends a row per item, but not the first item of each qualifier in `kept` (that one is a column). */
function appendDetails<T extends { qualifier: string }>(
  writer: RowBuffer,
  items: readonly T[],
  kept: readonly string[],
  keys: Record<string, string | number | null>,
  level: string,
  lineSegmentNo: number | null,
  row: DetailRow<T>,
): void {
  // One bit per kept qualifier, set once its first segment has gone to the claim or line row.
  let seen = 0;
  for (const item of items) {
    const bit = keptBit(kept, item.qualifier);
    if (bit !== 0 && (seen & bit) === 0) {
      seen |= bit;
      continue;
    }
    writer.append(row(item, level, lineSegmentNo), keys);
  }
}

// Row builders at module level: the hot path creates no functions per record.
const referenceRow: DetailRow<Claim['references'][number]> = (ref, level, lineSegmentNo) => ({
  segment_no: ref.segmentNo,
  line_segment_no: lineSegmentNo,
  reference_level: level,
  qualifier: ref.qualifier,
  value: ref.value,
});
const amountRow: DetailRow<Claim['amounts'][number]> = (amount, level, lineSegmentNo) => ({
  segment_no: amount.segmentNo,
  line_segment_no: lineSegmentNo,
  amount_level: level,
  qualifier: amount.qualifier,
  amount: amount.amountCents,
});
const quantityRow: DetailRow<Claim['quantities'][number]> = (quantity, level, lineSegmentNo) => ({
  segment_no: quantity.segmentNo,
  line_segment_no: lineSegmentNo,
  quantity_level: level,
  qualifier: quantity.qualifier,
  quantity: quantity.quantity,
});
const dateRow: DetailRow<Claim['dates'][number]> = (d, level, lineSegmentNo) => ({
  segment_no: d.segmentNo,
  line_segment_no: lineSegmentNo,
  date_level: level,
  qualifier: d.qualifier,
  date_value: d.date,
});

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

export function writeImbalance(w: Writers, i: Imbalance): void {
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
