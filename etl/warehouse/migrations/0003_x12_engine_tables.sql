-- The X12 engine's raw schema: the remaining 835 columns of raw.era_remittances and raw.era_claims (amounts
-- that may be malformed in real files become nullable) and the other 835, 277CA and 999 tables.
-- Warehouses created before 0004 existed hold the six quantity columns as DOUBLE; 0004 converts them.

alter table raw.era_remittances alter column total_paid drop not null;

alter table raw.era_claims alter column charge_amount drop not null;

alter table raw.era_claims alter column paid_amount drop not null;

alter table raw.era_remittances add column byte_offset bigint;

alter table raw.era_remittances add column group_control_number varchar;

alter table raw.era_remittances add column version varchar;

alter table raw.era_remittances add column end_segment_no integer;

alter table raw.era_remittances add column transaction_handling_code varchar;

alter table raw.era_remittances add column payment_format varchar;

alter table raw.era_remittances add column sender_dfi_id varchar;

alter table raw.era_remittances add column sender_account_number varchar;

alter table raw.era_remittances add column receiver_dfi_id varchar;

alter table raw.era_remittances add column receiver_account_number varchar;

alter table raw.era_remittances add column trace_type_code varchar;

alter table raw.era_remittances add column originating_company_id varchar;

alter table raw.era_remittances add column originating_company_supplemental_code varchar;

alter table raw.era_remittances add column currency_code varchar;

alter table raw.era_remittances add column receiver_id varchar;

alter table raw.era_remittances add column production_date date;

alter table raw.era_remittances add column payer_id_qualifier varchar;

alter table raw.era_remittances add column payer_id varchar;

alter table raw.era_remittances add column payer_address_1 varchar;

alter table raw.era_remittances add column payer_address_2 varchar;

alter table raw.era_remittances add column payer_city varchar;

alter table raw.era_remittances add column payer_state varchar;

alter table raw.era_remittances add column payer_postal_code varchar;

alter table raw.era_remittances add column payer_contact_name varchar;

alter table raw.era_remittances add column payer_contact_phone varchar;

alter table raw.era_remittances add column payee_id_qualifier varchar;

alter table raw.era_remittances add column payee_id varchar;

alter table raw.era_remittances add column payee_tax_id varchar;

alter table raw.era_remittances add column payee_address_1 varchar;

alter table raw.era_remittances add column payee_address_2 varchar;

alter table raw.era_remittances add column payee_city varchar;

alter table raw.era_remittances add column payee_state varchar;

alter table raw.era_remittances add column payee_postal_code varchar;

alter table raw.era_remittances add column claim_count integer;

alter table raw.era_remittances add column service_line_count integer;

alter table raw.era_remittances add column claims_paid decimal(18,2);

alter table raw.era_remittances add column plb_total decimal(18,2);

alter table raw.era_remittances add column balance_difference decimal(18,2);

alter table raw.era_remittances add column is_balanced boolean;

alter table raw.era_remittances add column imbalance_count integer;

alter table raw.era_claims add column interchange_control_number varchar;

alter table raw.era_claims add column byte_offset bigint;

alter table raw.era_claims add column header_number varchar;

alter table raw.era_claims add column claim_filing_indicator varchar;

alter table raw.era_claims add column facility_type_code varchar;

alter table raw.era_claims add column frequency_code varchar;

alter table raw.era_claims add column drg_code varchar;

alter table raw.era_claims add column drg_weight varchar;

alter table raw.era_claims add column discharge_fraction varchar;

alter table raw.era_claims add column claim_role varchar;

alter table raw.era_claims add column reversal_segment_no integer;

alter table raw.era_claims add column original_payer_claim_control_number varchar;

alter table raw.era_claims add column patient_last_name varchar;

alter table raw.era_claims add column patient_first_name varchar;

alter table raw.era_claims add column patient_middle_name varchar;

alter table raw.era_claims add column patient_id_qualifier varchar;

alter table raw.era_claims add column patient_id varchar;

alter table raw.era_claims add column insured_last_name varchar;

alter table raw.era_claims add column insured_first_name varchar;

alter table raw.era_claims add column insured_id varchar;

alter table raw.era_claims add column corrected_last_name varchar;

alter table raw.era_claims add column corrected_first_name varchar;

alter table raw.era_claims add column corrected_id varchar;

alter table raw.era_claims add column rendering_provider_last_name varchar;

alter table raw.era_claims add column rendering_provider_first_name varchar;

alter table raw.era_claims add column rendering_provider_id_qualifier varchar;

alter table raw.era_claims add column rendering_provider_id varchar;

alter table raw.era_claims add column rendering_provider_npi varchar;

alter table raw.era_claims add column statement_from_date date;

alter table raw.era_claims add column statement_to_date date;

alter table raw.era_claims add column received_date date;

alter table raw.era_claims add column coverage_expiration_date date;

alter table raw.era_claims add column coverage_amount decimal(18,2);

alter table raw.era_claims add column inpatient_adjudication varchar;

alter table raw.era_claims add column outpatient_adjudication varchar;

alter table raw.era_claims add column outpatient_remark_codes varchar;

alter table raw.era_claims add column claim_adjustment_amount decimal(18,2);

alter table raw.era_claims add column line_adjustment_amount decimal(18,2);

alter table raw.era_claims add column balance_difference decimal(18,2);

alter table raw.era_claims add column is_balanced boolean;

alter table raw.era_claims add column service_line_count integer;

create table raw.era_service_lines (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  claim_segment_no integer,
  patient_control_number varchar,
  line_number integer,
  procedure_qualifier varchar,
  procedure_code varchar,
  modifier_1 varchar,
  modifier_2 varchar,
  modifier_3 varchar,
  modifier_4 varchar,
  procedure_description varchar,
  charge_amount decimal(18,2),
  paid_amount decimal(18,2),
  revenue_code varchar,
  units decimal(18,4),
  is_recoded boolean,
  original_procedure_qualifier varchar,
  original_procedure_code varchar,
  original_modifier_1 varchar,
  original_modifier_2 varchar,
  original_modifier_3 varchar,
  original_modifier_4 varchar,
  original_units decimal(18,4),
  service_date date,
  service_from_date date,
  service_to_date date,
  line_control_number varchar,
  allowed_amount decimal(18,2),
  adjustment_amount decimal(18,2),
  balance_difference decimal(18,2),
  is_balanced boolean
);

create table raw.era_adjustments (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  adjustment_level varchar,
  triplet_index integer,
  group_code varchar,
  reason_code varchar,
  amount decimal(18,2),
  quantity decimal(18,4)
);

create table raw.era_remarks (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  qualifier varchar,
  remark_code varchar
);

create table raw.era_provider_adjustments (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  pair_index integer,
  provider_id varchar,
  fiscal_period_date date,
  reason_code varchar,
  reference_id varchar,
  amount decimal(18,2)
);

create table raw.era_claim_entities (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  entity_code varchar,
  entity_type varchar,
  last_name varchar,
  first_name varchar,
  middle_name varchar,
  suffix varchar,
  id_qualifier varchar,
  id varchar
);

create table raw.era_references (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  reference_level varchar,
  qualifier varchar,
  value varchar
);

create table raw.era_amounts (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  amount_level varchar,
  qualifier varchar,
  amount decimal(18,2)
);

create table raw.era_quantities (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  quantity_level varchar,
  qualifier varchar,
  quantity decimal(18,4)
);

create table raw.era_dates (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  claim_segment_no integer,
  line_segment_no integer,
  date_level varchar,
  qualifier varchar,
  date_value date
);

create table raw.era_provider_summaries (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  header_number varchar,
  provider_id varchar,
  facility_type_code varchar,
  fiscal_period_date date,
  claim_count varchar,
  total_charge decimal(18,2)
);

create table raw.era_imbalances (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  imbalance_level varchar,
  claim_segment_no integer,
  patient_control_number varchar,
  stated_amount decimal(18,2),
  computed_amount decimal(18,2),
  difference decimal(18,2),
  rule varchar
);

create table raw.ack_277_statuses (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  group_control_number varchar,
  version varchar,
  status_level varchar,
  hl_id varchar,
  parent_hl_id varchar,
  entity_code varchar,
  entity_name varchar,
  entity_id_qualifier varchar,
  entity_id varchar,
  trace_number varchar,
  payer_claim_control_number varchar,
  clearinghouse_trace_number varchar,
  bill_type varchar,
  category_code varchar,
  status_code varchar,
  entity_identifier_code varchar,
  status_date date,
  action_code varchar,
  charge_amount decimal(18,2),
  paid_amount decimal(18,2),
  additional_statuses varchar,
  service_from_date date,
  service_to_date date,
  procedure_code varchar,
  line_control_number varchar,
  accepted_quantity decimal(18,4),
  rejected_quantity decimal(18,4),
  accepted_amount decimal(18,2),
  rejected_amount decimal(18,2),
  is_rejection boolean,
  is_acceptance boolean
);

create table raw.ack_999_transaction_sets (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  group_control_number varchar,
  version varchar,
  ack_group_functional_id varchar,
  ack_group_control_number varchar,
  ack_group_version varchar,
  ack_transaction_set_id varchar,
  ack_transaction_control_number varchar,
  ack_transaction_version varchar,
  ack_code varchar,
  syntax_error_codes varchar,
  error_count integer,
  is_accepted boolean,
  is_rejected boolean
);

create table raw.ack_999_groups (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  group_control_number varchar,
  version varchar,
  ack_group_functional_id varchar,
  ack_group_control_number varchar,
  ack_group_version varchar,
  ack_code varchar,
  transaction_sets_included integer,
  transaction_sets_received integer,
  transaction_sets_accepted integer,
  syntax_error_codes varchar
);

create table raw.ack_999_errors (
  practice_id varchar not null,
  file_id bigint not null,
  interchange_control_number varchar,
  transaction_control_number varchar not null,
  segment_no integer not null,
  byte_offset bigint not null,
  group_control_number varchar,
  version varchar,
  transaction_set_segment_no integer,
  ack_transaction_control_number varchar,
  error_kind varchar,
  segment_id varchar,
  segment_position varchar,
  loop_id varchar,
  error_code varchar,
  element_position varchar,
  element_reference varchar,
  bad_value varchar,
  context varchar
);
