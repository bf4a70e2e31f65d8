-- Balance transfers from PM exports (docs/inputs.md §6, transfers): a ledger event that moves an amount of a
-- claim from one responsibility to another (payer to patient, or back). Columns as etl/pm/canonical.ts
-- describes them, after practice_id, file_id and line_no like every PM raw table.
create table raw.pm_transfers (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  transfer_id varchar not null,
  claim_id varchar,
  line_number integer,
  patient_id varchar,
  payer_id varchar,
  from_responsibility varchar,
  to_responsibility varchar,
  amount decimal(18,2) not null,
  posted_date date not null
);
