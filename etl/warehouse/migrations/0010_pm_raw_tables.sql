-- Raw tables for CSV inputs: one per canonical entity, with practice_id, file_id and line_no (the physical
-- line of the row) before the canonical fields; raw.pm_exports, one row per loaded file with the date range
-- the export covers; and per entity raw.<table>_latest (the latest version of each natural key, with
-- deleted_by_file_id: the first later export whose range covers the row's date and which lacks the key) and
-- raw.<table>_current (latest versions not deleted): the snapshot rules of docs/inputs.md.

create table raw.pm_patients (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  patient_id varchar not null,
  first_name varchar,
  last_name varchar,
  date_of_birth date,
  sex varchar,
  address_line_1 varchar,
  city varchar,
  state varchar,
  zip varchar,
  phone varchar,
  primary_payer_id varchar,
  plan_id varchar,
  member_id varchar,
  registered_date date
);

create table raw.pm_providers (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  provider_id varchar not null,
  npi varchar,
  first_name varchar,
  last_name varchar,
  credential varchar,
  specialty varchar,
  taxonomy_code varchar,
  start_date date
);

create table raw.pm_payers (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  payer_id varchar not null,
  plan_id varchar,
  payer_name varchar,
  plan_name varchar,
  payer_type varchar,
  edi_payer_id varchar,
  claim_filing_indicator varchar,
  timely_filing_days integer
);

create table raw.pm_locations (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  location_id varchar not null,
  location_name varchar,
  address_line_1 varchar,
  city varchar,
  state varchar,
  zip varchar,
  place_of_service varchar,
  npi varchar
);

create table raw.pm_appointments (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  appointment_id varchar not null,
  patient_id varchar not null,
  provider_id varchar,
  location_id varchar,
  scheduled_date date,
  appointment_date date not null,
  appointment_type varchar,
  status varchar,
  eligibility_checked_at timestamp,
  authorization_required boolean,
  authorization_obtained boolean,
  claim_id varchar
);

create table raw.pm_charges (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  claim_id varchar not null,
  line_number integer not null,
  patient_id varchar not null,
  payer_id varchar,
  plan_id varchar,
  rendering_provider_id varchar,
  rendering_npi varchar,
  location_id varchar,
  service_date date not null,
  cpt varchar not null,
  modifier_1 varchar,
  modifier_2 varchar,
  units integer,
  icd10_1 varchar,
  icd10_2 varchar,
  icd10_3 varchar,
  icd10_4 varchar,
  dx_pointers varchar,
  place_of_service varchar,
  charge_amount decimal(18,2) not null,
  claim_created_date date,
  claim_submitted_date date,
  last_submitted_date date,
  resubmission_count integer,
  appointment_id varchar
);

create table raw.pm_payments (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  payment_id varchar not null,
  claim_id varchar,
  patient_id varchar,
  payer_id varchar,
  payment_source varchar,
  payment_method varchar,
  reference_number varchar,
  payment_date date,
  posted_date date not null,
  amount decimal(18,2) not null,
  time_of_service boolean
);

create table raw.pm_adjustments (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  adjustment_id varchar not null,
  claim_id varchar not null,
  line_number integer,
  payer_id varchar,
  adjustment_type varchar,
  group_code varchar,
  reason_code varchar,
  amount decimal(18,2) not null,
  posted_date date not null,
  approved_by varchar,
  reference_number varchar
);

create table raw.clearinghouse_rejections (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  batch_id varchar,
  claim_id varchar not null,
  patient_id varchar,
  payer_name varchar,
  edi_payer_id varchar,
  service_date date,
  charge_amount decimal(18,2),
  submitted_date date,
  rejection_date date not null,
  source varchar,
  status varchar,
  category_code varchar,
  reason_code varchar,
  reason_text varchar,
  entity_code varchar
);

create table raw.bank_deposits (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  transaction_id varchar not null,
  posting_date date not null,
  description varchar,
  amount decimal(18,2) not null,
  reference varchar,
  type varchar
);

create table raw.fee_schedules (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  payer_id varchar not null,
  plan_id varchar,
  payer_name varchar,
  cpt varchar not null,
  modifier varchar,
  effective_from date not null,
  effective_to date,
  allowed_amount decimal(18,2) not null
);

create table raw.pm_exports (
  file_id bigint primary key,
  practice_id varchar not null,
  entity varchar not null,          -- canonical entity: charges, payments, rejections, ...
  profile varchar not null,         -- mapping profile used, e.g. ledger/charges
  encoding varchar not null,        -- utf-8 or windows-1252
  coverage_field varchar,           -- the date field the export's range is about (null: no range)
  coverage_from date,
  coverage_to date,
  coverage_source varchar,          -- 'file_name' (declared period) or 'rows' (min..max of the rows)
  row_count bigint not null,
  skipped_rows bigint not null      -- totals, footers and repeated header lines left out
);

create view raw.pm_patients_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, patient_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_patients
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'patients'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'date_of_birth' then latest.date_of_birth when 'registered_date' then latest.registered_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_patients_current as
select * exclude (deleted_by_file_id) from raw.pm_patients_latest where deleted_by_file_id is null;

create view raw.pm_providers_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, provider_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_providers
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'providers'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'start_date' then latest.start_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_providers_current as
select * exclude (deleted_by_file_id) from raw.pm_providers_latest where deleted_by_file_id is null;

create view raw.pm_payers_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, payer_id, plan_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_payers
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, cast(null as bigint) as deleted_by_file_id from latest;

create view raw.pm_payers_current as
select * exclude (deleted_by_file_id) from raw.pm_payers_latest where deleted_by_file_id is null;

create view raw.pm_locations_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, location_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_locations
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, cast(null as bigint) as deleted_by_file_id from latest;

create view raw.pm_locations_current as
select * exclude (deleted_by_file_id) from raw.pm_locations_latest where deleted_by_file_id is null;

create view raw.pm_appointments_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, appointment_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_appointments
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'appointments'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'scheduled_date' then latest.scheduled_date when 'appointment_date' then latest.appointment_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_appointments_current as
select * exclude (deleted_by_file_id) from raw.pm_appointments_latest where deleted_by_file_id is null;

create view raw.pm_charges_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, claim_id, line_number order by file_id desc, line_no desc) as version_rank
  from raw.pm_charges
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'charges'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'service_date' then latest.service_date when 'claim_created_date' then latest.claim_created_date when 'claim_submitted_date' then latest.claim_submitted_date when 'last_submitted_date' then latest.last_submitted_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_charges_current as
select * exclude (deleted_by_file_id) from raw.pm_charges_latest where deleted_by_file_id is null;

create view raw.pm_payments_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, payment_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_payments
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'payments'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'payment_date' then latest.payment_date when 'posted_date' then latest.posted_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_payments_current as
select * exclude (deleted_by_file_id) from raw.pm_payments_latest where deleted_by_file_id is null;

create view raw.pm_adjustments_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, adjustment_id order by file_id desc, line_no desc) as version_rank
  from raw.pm_adjustments
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'adjustments'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'posted_date' then latest.posted_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.pm_adjustments_current as
select * exclude (deleted_by_file_id) from raw.pm_adjustments_latest where deleted_by_file_id is null;

create view raw.clearinghouse_rejections_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, batch_id, claim_id, rejection_date, category_code, reason_code order by file_id desc, line_no desc) as version_rank
  from raw.clearinghouse_rejections
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'rejections'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'service_date' then latest.service_date when 'submitted_date' then latest.submitted_date when 'rejection_date' then latest.rejection_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.clearinghouse_rejections_current as
select * exclude (deleted_by_file_id) from raw.clearinghouse_rejections_latest where deleted_by_file_id is null;

create view raw.bank_deposits_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, transaction_id order by file_id desc, line_no desc) as version_rank
  from raw.bank_deposits
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'deposits'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'posting_date' then latest.posting_date end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.bank_deposits_current as
select * exclude (deleted_by_file_id) from raw.bank_deposits_latest where deleted_by_file_id is null;

create view raw.fee_schedules_latest as
with ranked as (
  select *, row_number() over (partition by practice_id, payer_id, plan_id, cpt, modifier, effective_from order by file_id desc, line_no desc) as version_rank
  from raw.fee_schedules
),
latest as (select * exclude (version_rank) from ranked where version_rank = 1)
select *, (
    select min(later.file_id) from raw.pm_exports as later
    where later.practice_id = latest.practice_id
      and later.entity = 'fee_schedule'
      and later.file_id > latest.file_id
      and case later.coverage_field when 'effective_from' then latest.effective_from when 'effective_to' then latest.effective_to end between later.coverage_from and later.coverage_to
  ) as deleted_by_file_id from latest;

create view raw.fee_schedules_current as
select * exclude (deleted_by_file_id) from raw.fee_schedules_latest where deleted_by_file_id is null;
