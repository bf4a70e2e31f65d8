import type { ClaimStatus } from '../x12/ack277.ts';
import type { AckError, AckGroup, AckTransactionSet } from '../x12/ack999.ts';
import type { X12Writers as Writers } from './x12-tables.ts';

/** 277CA claim statuses and 999 acknowledgements as raw rows. */

export function writeStatus(w: Writers, s: ClaimStatus): void {
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

/** Spread last in each row: a literal that starts with a spread is built slowly (see Ack999Parser.keys). */
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

export function writeAckSet(w: Writers, s: AckTransactionSet): void {
  w.ackSets.append({
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
    ...ackKeys(s),
  });
}

export function writeAckGroup(w: Writers, g: AckGroup): void {
  w.ackGroups.append({
    ack_group_functional_id: g.ackGroupFunctionalId,
    ack_group_control_number: g.ackGroupControlNumber,
    ack_group_version: g.ackGroupVersion,
    ack_code: g.ackCode,
    transaction_sets_included: g.transactionSetsIncluded,
    transaction_sets_received: g.transactionSetsReceived,
    transaction_sets_accepted: g.transactionSetsAccepted,
    syntax_error_codes: g.syntaxErrorCodes,
    ...ackKeys(g),
  });
}

export function writeAckError(w: Writers, e: AckError): void {
  w.ackErrors.append({
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
    ...ackKeys(e),
  });
}
