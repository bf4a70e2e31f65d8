/**
 * The canonical model of practice-management exports and the other CSV inputs (clearinghouse rejection reports,
 * bank deposits, contracted fee schedules). Defined once here: the mapping profiles map columns onto these
 * fields, the loader writes them to the raw tables (the migrated schema is tested against them), `docs/inputs.md`
 * documents them, and the synthetic generator's `CANONICAL_FIELDS` is derived from them (canonicalFieldSpecs).
 */

/**
 * Value types. `code` is text cleaned as a code (trimmed, upper case: CPT, modifiers, NPI, ZIP, CARC);
 * `icd` is an ICD-10 code stored with its dot (E11.9) whether or not the file has one.
 */
export type CanonicalType = 'text' | 'code' | 'icd' | 'int' | 'date' | 'datetime' | 'money' | 'bool';

export interface CanonicalField {
  name: string;
  type: CanonicalType;
  required: boolean;
  description: string;
}

export interface CanonicalEntity {
  /** Raw table in the `raw` schema. */
  table: string;
  /** The file kind recorded in raw.files, e.g. 'pm:charges'. */
  kind: string;
  description: string;
  /** Fields that identify one row across exports (latest export wins per key). */
  naturalKey: readonly string[];
  /** The date an export's range is about: rows of a later export covering that date replace earlier ones. */
  snapshotDate: string | null;
  /**
   * Reference data that carries no money (a payer list, a fee schedule): the practices of one billing company may
   * share the same file byte for byte, and loading it for each of them counts nothing twice.
   */
  sharedAcrossPractices?: true;
  fields: readonly CanonicalField[];
}

const f = (name: string, type: CanonicalType, required: boolean, description: string): CanonicalField => ({
  name,
  type,
  required,
  description,
});
const req = true;
const opt = false;

export const ENTITY_NAMES = [
  'patients',
  'providers',
  'payers',
  'locations',
  'appointments',
  'charges',
  'payments',
  'adjustments',
  'transfers',
  'rejections',
  'deposits',
  'fee_schedule',
] as const;
export type EntityName = (typeof ENTITY_NAMES)[number];

export const CANONICAL: Record<EntityName, CanonicalEntity> = {
  patients: {
    table: 'pm_patients',
    kind: 'pm:patients',
    description: 'One row per patient account in the PM system.',
    naturalKey: ['patient_id'],
    snapshotDate: null,
    fields: [
      f('patient_id', 'text', req, 'PM account number of the patient.'),
      f('first_name', 'text', opt, 'First name (PHI: never reaches a report).'),
      f('last_name', 'text', opt, 'Last name (PHI).'),
      f('date_of_birth', 'date', opt, 'Date of birth (PHI).'),
      f('sex', 'code', opt, 'Administrative sex as the PM writes it (F, M, U…).'),
      f('address_line_1', 'text', opt, 'Street address (PHI).'),
      f('city', 'text', opt, 'City.'),
      f('state', 'code', opt, 'Two-letter state code.'),
      f('zip', 'code', opt, 'ZIP or ZIP+4, as text (leading zeros kept).'),
      f('phone', 'text', opt, 'Phone number (PHI).'),
      f('primary_payer_id', 'text', opt, 'PM code of the primary insurance (payers.payer_id).'),
      f('plan_id', 'text', opt, 'PM code of the primary plan (payers.plan_id).'),
      f('member_id', 'text', opt, 'Subscriber/member id on the insurance card (PHI).'),
      f('registered_date', 'date', opt, 'Date the account was created.'),
    ],
  },
  providers: {
    table: 'pm_providers',
    kind: 'pm:providers',
    sharedAcrossPractices: true,
    description: 'One row per rendering or billing provider.',
    naturalKey: ['provider_id'],
    snapshotDate: null,
    fields: [
      f('provider_id', 'text', req, 'PM code of the provider.'),
      f('npi', 'code', opt, 'Individual NPI (10 digits).'),
      f('first_name', 'text', opt, 'First name.'),
      f('last_name', 'text', opt, 'Last name.'),
      f('credential', 'text', opt, 'MD, DO, NP, PA…'),
      f('specialty', 'text', opt, 'Specialty as the PM names it.'),
      f('taxonomy_code', 'code', opt, 'NUCC taxonomy code.'),
      f('start_date', 'date', opt, 'First day the provider saw patients at the practice.'),
    ],
  },
  payers: {
    table: 'pm_payers',
    kind: 'pm:payers',
    sharedAcrossPractices: true,
    description: 'One row per insurance payer and plan configured in the PM.',
    naturalKey: ['payer_id', 'plan_id'],
    snapshotDate: null,
    fields: [
      f('payer_id', 'text', req, 'PM code of the payer (insurance company).'),
      f('plan_id', 'text', opt, 'PM code of the plan under the payer.'),
      f('payer_name', 'text', opt, 'Payer name.'),
      f('plan_name', 'text', opt, 'Plan name.'),
      f(
        'payer_type',
        'text',
        opt,
        'Financial class: Medicare, Medicare Advantage, Medicaid, commercial, self-pay, other.',
      ),
      f('edi_payer_id', 'code', opt, 'Clearinghouse/EDI payer id used on claims and remittances.'),
      f('claim_filing_indicator', 'code', opt, 'X12 claim filing indicator (MB, MC, CI, BL…).'),
      f('timely_filing_days', 'int', opt, 'Timely-filing limit in days from the date of service.'),
    ],
  },
  locations: {
    table: 'pm_locations',
    kind: 'pm:locations',
    sharedAcrossPractices: true,
    description: 'One row per service location (facility).',
    naturalKey: ['location_id'],
    snapshotDate: null,
    fields: [
      f('location_id', 'text', req, 'PM code of the location.'),
      f('location_name', 'text', opt, 'Location name.'),
      f('address_line_1', 'text', opt, 'Street address.'),
      f('city', 'text', opt, 'City.'),
      f('state', 'code', opt, 'Two-letter state code.'),
      f('zip', 'code', opt, 'ZIP or ZIP+4, as text.'),
      f('place_of_service', 'code', opt, 'CMS place-of-service code (11 office, 22 outpatient…).'),
      f('npi', 'code', opt, 'Group or facility NPI.'),
    ],
  },
  appointments: {
    table: 'pm_appointments',
    kind: 'pm:appointments',
    description: 'One row per appointment, with the front-end facts: eligibility check and authorization.',
    naturalKey: ['appointment_id'],
    snapshotDate: 'appointment_date',
    fields: [
      f('appointment_id', 'text', req, 'PM id of the appointment.'),
      f('patient_id', 'text', req, 'Patient account (patients.patient_id).'),
      f('provider_id', 'text', opt, 'Provider seen (providers.provider_id).'),
      f('location_id', 'text', opt, 'Location (locations.location_id).'),
      f('scheduled_date', 'date', opt, 'Date the appointment was booked.'),
      f('appointment_date', 'date', req, 'Date of the visit.'),
      f('appointment_type', 'text', opt, 'Visit type as the PM names it (new, established, follow-up…).'),
      f('status', 'text', opt, 'Completed, cancelled, no-show…'),
      f(
        'eligibility_checked_at',
        'datetime',
        opt,
        'When eligibility was last verified before the visit; empty when it was not.',
      ),
      f('authorization_required', 'bool', opt, 'The payer requires a prior authorization for this visit.'),
      f('authorization_obtained', 'bool', opt, 'An authorization was on file at the visit.'),
      f('claim_id', 'text', opt, 'Claim created from the visit (charges.claim_id).'),
    ],
  },
  charges: {
    table: 'pm_charges',
    kind: 'pm:charges',
    description: 'One row per claim line (charge) as the PM created and submitted it.',
    naturalKey: ['claim_id', 'line_number'],
    snapshotDate: 'service_date',
    fields: [
      f(
        'claim_id',
        'text',
        req,
        'PM claim number (the patient control number sent on the 837, CLP01 on the 835).',
      ),
      f('line_number', 'int', req, 'Line number within the claim, from 1.'),
      f('patient_id', 'text', req, 'Patient account (patients.patient_id).'),
      f('payer_id', 'text', opt, 'PM code of the payer billed; empty for self-pay.'),
      f('plan_id', 'text', opt, 'PM code of the plan billed.'),
      f('rendering_provider_id', 'text', opt, 'Rendering provider (providers.provider_id).'),
      f('rendering_npi', 'code', opt, 'Rendering provider NPI.'),
      f('location_id', 'text', opt, 'Service location (locations.location_id).'),
      f('service_date', 'date', req, 'Date of service (DOS).'),
      f('cpt', 'code', req, 'CPT/HCPCS procedure code.'),
      f('modifier_1', 'code', opt, 'First procedure modifier.'),
      f('modifier_2', 'code', opt, 'Second procedure modifier.'),
      f('units', 'int', opt, 'Units of service.'),
      f('icd10_1', 'icd', opt, 'First diagnosis (ICD-10-CM, stored with its dot).'),
      f('icd10_2', 'icd', opt, 'Second diagnosis.'),
      f('icd10_3', 'icd', opt, 'Third diagnosis.'),
      f('icd10_4', 'icd', opt, 'Fourth diagnosis.'),
      f('dx_pointers', 'text', opt, 'Diagnosis pointers of the line (e.g. 1,2 or AB).'),
      f('place_of_service', 'code', opt, 'CMS place-of-service code.'),
      f('charge_amount', 'money', req, 'Billed (gross) charge of the line.'),
      f(
        'claim_created_date',
        'date',
        opt,
        'Date the charge/claim was entered in the PM (charge lag starts at DOS).',
      ),
      f('claim_submitted_date', 'date', opt, 'Date the claim was first submitted.'),
      f('last_submitted_date', 'date', opt, 'Date of the latest (re)submission.'),
      f('resubmission_count', 'int', opt, 'Times the claim was resubmitted after the first submission.'),
      f('appointment_id', 'text', opt, 'Appointment the charge came from (appointments.appointment_id).'),
    ],
  },
  payments: {
    table: 'pm_payments',
    kind: 'pm:payments',
    description: 'One row per payment posted in the PM, from a payer or a patient.',
    naturalKey: ['payment_id'],
    snapshotDate: 'posted_date',
    fields: [
      f('payment_id', 'text', req, 'PM id of the payment (or of its application to a claim).'),
      f('claim_id', 'text', opt, 'Claim the payment was applied to; empty when unapplied.'),
      f('patient_id', 'text', opt, 'Patient account.'),
      f('payer_id', 'text', opt, 'Paying payer; empty for patient payments.'),
      f('payment_source', 'text', opt, 'payer or patient.'),
      f('payment_method', 'text', opt, 'EFT, check, card, cash…'),
      f('reference_number', 'text', opt, 'Check or EFT trace number (TRN02 on the 835).'),
      f('payment_date', 'date', opt, 'Date of the check/EFT or of the patient payment.'),
      f('posted_date', 'date', req, 'Date the payment was posted in the PM.'),
      f('amount', 'money', req, 'Amount; negative for refunds and reversals.'),
      f('time_of_service', 'bool', opt, 'Collected at the time of service (copay at the visit).'),
    ],
  },
  adjustments: {
    table: 'pm_adjustments',
    kind: 'pm:adjustments',
    description: 'One row per adjustment posted in the PM (contractual, write-off, denial…).',
    naturalKey: ['adjustment_id'],
    snapshotDate: 'posted_date',
    fields: [
      f('adjustment_id', 'text', req, 'PM id of the adjustment.'),
      f('claim_id', 'text', req, 'Claim adjusted.'),
      f('line_number', 'int', opt, 'Claim line adjusted; empty for claim-level adjustments.'),
      f('payer_id', 'text', opt, 'Payer whose remittance caused it, if any.'),
      f('adjustment_type', 'text', opt, 'The PM adjustment type (contractual, write-off, small balance…).'),
      f('group_code', 'code', opt, 'CAS group code (CO, PR, OA, PI).'),
      f('reason_code', 'code', opt, 'CARC reason code.'),
      f('amount', 'money', req, 'Amount that reduces the balance; negative to reverse.'),
      f('posted_date', 'date', req, 'Date the adjustment was posted.'),
      f('approved_by', 'text', opt, 'Who approved the write-off (for write-offs over the policy threshold).'),
      f('reference_number', 'text', opt, 'Check/EFT number of the remittance that caused it.'),
    ],
  },
  transfers: {
    table: 'pm_transfers',
    kind: 'pm:transfers',
    description:
      'One row per balance transfer posted in the PM: an amount of a claim moved from one responsibility to another (from the payer to the patient after adjudication, or back); it changes who owes, not how much.',
    naturalKey: ['transfer_id'],
    snapshotDate: 'posted_date',
    fields: [
      f('transfer_id', 'text', req, 'PM id of the transfer.'),
      f('claim_id', 'text', opt, 'Claim whose balance moved.'),
      f('line_number', 'int', opt, 'Claim line whose balance moved; empty for the whole claim.'),
      f('patient_id', 'text', opt, 'Patient account.'),
      f('payer_id', 'text', opt, 'Payer the balance moved from or to.'),
      f('from_responsibility', 'text', opt, 'Who owed the amount before: payer, secondary, patient…'),
      f('to_responsibility', 'text', opt, 'Who owes it after.'),
      f('amount', 'money', req, 'Amount moved; negative to reverse a transfer.'),
      f('posted_date', 'date', req, 'Date the transfer was posted.'),
    ],
  },
  rejections: {
    table: 'clearinghouse_rejections',
    kind: 'clearinghouse:rejections',
    description: 'One row per claim rejection in a clearinghouse CSV rejection report.',
    naturalKey: ['batch_id', 'claim_id', 'rejection_date', 'category_code', 'reason_code'],
    snapshotDate: null,
    fields: [
      f('batch_id', 'text', opt, 'Submission batch (interchange/group) the claim was sent in.'),
      f('claim_id', 'text', req, 'PM claim number.'),
      f('patient_id', 'text', opt, 'Patient account.'),
      f('payer_name', 'text', opt, 'Payer name.'),
      f('edi_payer_id', 'code', opt, 'EDI payer id.'),
      f('service_date', 'date', opt, 'Date of service.'),
      f('charge_amount', 'money', opt, 'Billed amount of the claim.'),
      f('submitted_date', 'date', opt, 'Date the claim was submitted.'),
      f('rejection_date', 'date', req, 'Date of the rejection.'),
      f('source', 'text', opt, 'Which check rejected it (999, 277CA, clearinghouse edit).'),
      f('status', 'text', opt, 'Status as the report writes it (Rejected, Accepted…).'),
      f('category_code', 'code', opt, '277CA claim status category (A3, A6, A7, A8).'),
      f('reason_code', 'code', opt, 'Claim status or edit code.'),
      f('reason_text', 'text', opt, 'Reason as text.'),
      f('entity_code', 'code', opt, 'Entity identifier the status refers to (e.g. 85 billing provider).'),
    ],
  },
  deposits: {
    table: 'bank_deposits',
    kind: 'bank:deposits',
    description:
      'One row per credit on the practice bank account (payer EFT/check, batch of patient payments).',
    naturalKey: ['transaction_id'],
    snapshotDate: 'posting_date',
    fields: [
      f('transaction_id', 'text', req, 'Bank transaction id.'),
      f('posting_date', 'date', req, 'Date the bank posted the credit.'),
      f('description', 'text', opt, 'Bank description (often holds the payer name and the EFT trace).'),
      f('amount', 'money', req, 'Amount credited.'),
      f('reference', 'text', opt, 'Reference: EFT trace (TRN02) or check number.'),
      f('type', 'text', opt, 'ACH, check deposit, card settlement…'),
    ],
  },
  fee_schedule: {
    table: 'fee_schedules',
    kind: 'contracts:fee_schedule',
    sharedAcrossPractices: true,
    description: 'One row per contracted allowed amount: payer plan × CPT × modifier × effective period.',
    naturalKey: ['payer_id', 'plan_id', 'cpt', 'modifier', 'effective_from'],
    snapshotDate: null,
    fields: [
      f('payer_id', 'text', req, 'PM code of the payer.'),
      f(
        'plan_id',
        'text',
        opt,
        'PM code of the plan; empty when the rate applies to every plan of the payer.',
      ),
      f('payer_name', 'text', opt, 'Payer name.'),
      f('cpt', 'code', req, 'CPT/HCPCS code.'),
      f('modifier', 'code', opt, 'Modifier the rate applies to; empty for none.'),
      f('effective_from', 'date', req, 'First day the rate applies.'),
      f('effective_to', 'date', opt, 'Last day the rate applies; empty while current.'),
      f('allowed_amount', 'money', req, 'Contracted allowed amount.'),
    ],
  },
};

export const sqlTypes: Record<CanonicalType, string> = {
  text: 'varchar',
  code: 'varchar',
  icd: 'varchar',
  int: 'integer',
  date: 'date',
  datetime: 'timestamp',
  money: 'decimal(18,2)',
  bool: 'boolean',
};

/** A value type as the synthetic generator names it (codes are plain text there). */
export type GeneratorFieldType = 'text' | 'int' | 'date' | 'datetime' | 'money' | 'bool' | 'icd';

/**
 * The canonical fields in the generator's shape (`etl/generate/dialects.ts` CANONICAL_FIELDS): per entity,
 * [name, type] in canonical order. The generator can import this instead of keeping its own copy.
 */
export function canonicalFieldSpecs(): Record<EntityName, [name: string, type: GeneratorFieldType][]> {
  const generatorType = (type: CanonicalType): GeneratorFieldType => (type === 'code' ? 'text' : type);
  return Object.fromEntries(
    ENTITY_NAMES.map((name) => [
      name,
      CANONICAL[name].fields.map((field) => [field.name, generatorType(field.type)]),
    ]),
  ) as Record<EntityName, [string, GeneratorFieldType][]>;
}
