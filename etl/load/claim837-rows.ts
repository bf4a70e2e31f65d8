import type { Claim837 } from '../x12/claim837.ts';
import type { X12Writers as Writers } from './x12-tables.ts';

/** An 837P claim as raw rows: the claim, its service lines and its diagnoses, all keyed by the CLM. */
export function writeClaim837(w: Writers, c: Claim837): void {
  const keys = {
    interchange_control_number: c.interchangeControlNumber,
    transaction_control_number: c.transactionControlNumber,
    claim_segment_no: c.segmentNo,
    patient_control_number: c.claimId,
  };
  w.claims837.append(
    {
      segment_no: c.segmentNo,
      byte_offset: c.offset,
      group_control_number: c.groupControlNumber,
      version: c.version,
      transaction_reference: c.transactionReference,
      transaction_date: c.transactionDate,
      charge_amount: c.chargeCents,
      place_of_service: c.placeOfService,
      facility_code_qualifier: c.facilityCodeQualifier,
      frequency_code: c.frequencyCode,
      original_reference_number: c.originalReferenceNumber,
      billing_provider_name: c.billingProviderName,
      billing_provider_npi: c.billingProviderNpi,
      billing_provider_tax_id: c.billingProviderTaxId,
      rendering_provider_npi: c.renderingProviderNpi,
      payer_responsibility: c.payerResponsibility,
      claim_filing_indicator: c.claimFilingIndicator,
      relationship_code: c.relationshipCode,
      payer_name: c.payerName,
      payer_id_qualifier: c.payerIdQualifier,
      payer_id: c.payerId,
      subscriber_last_name: c.subscriberLastName,
      subscriber_first_name: c.subscriberFirstName,
      member_id: c.memberId,
      patient_last_name: c.patientLastName,
      patient_first_name: c.patientFirstName,
      line_charge_amount: c.lineChargeCents,
      is_balanced: c.balanced,
      service_line_count: c.lines.length,
      diagnosis_count: c.diagnoses.length,
    },
    keys,
  );
  for (const l of c.lines) {
    w.lines837.append(
      {
        segment_no: l.segmentNo,
        byte_offset: l.offset,
        group_control_number: c.groupControlNumber,
        line_number: l.lineNumber,
        procedure_qualifier: l.procedureQualifier,
        procedure_code: l.procedureCode,
        modifier_1: l.modifiers[0],
        modifier_2: l.modifiers[1],
        modifier_3: l.modifiers[2],
        modifier_4: l.modifiers[3],
        procedure_description: l.procedureDescription,
        charge_amount: l.chargeCents,
        unit_basis: l.unitBasis,
        units: l.units,
        place_of_service: l.placeOfService,
        diagnosis_pointers: l.diagnosisPointers,
        service_from_date: l.serviceFromDate,
        service_to_date: l.serviceToDate,
        line_control_number: l.lineControlNumber,
        rendering_provider_npi: l.renderingProviderNpi,
      },
      keys,
    );
  }
  for (const d of c.diagnoses) {
    w.diagnoses837.append(
      {
        segment_no: d.segmentNo,
        byte_offset: d.offset,
        group_control_number: c.groupControlNumber,
        diagnosis_order: d.diagnosisOrder,
        qualifier: d.qualifier,
        diagnosis_code: d.code,
      },
      keys,
    );
  }
}
