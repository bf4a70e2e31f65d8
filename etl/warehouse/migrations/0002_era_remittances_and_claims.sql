-- The first two raw remittance tables, as the first-slice 835 loader wrote them; 0003 extends them.

create table raw.era_remittances (
      practice_id                varchar not null,
      file_id                    bigint not null,
      interchange_control_number varchar,
      transaction_control_number varchar not null,
      segment_no                 integer not null,  -- position of the ST segment in the file
      payer_name                 varchar,
      payee_name                 varchar,
      payee_npi                  varchar,
      total_paid                 decimal(18,2) not null,  -- BPR02
      credit_debit_flag          varchar,                 -- BPR03
      payment_method             varchar,                 -- BPR04
      payment_date               date,                    -- BPR16
      trace_number               varchar                  -- TRN02
    );

create table raw.era_claims (
      practice_id                   varchar not null,
      file_id                       bigint not null,
      transaction_control_number    varchar not null,
      segment_no                    integer not null,  -- position of the CLP segment in the file
      patient_control_number        varchar not null,  -- CLP01
      claim_status_code             varchar not null,  -- CLP02
      charge_amount                 decimal(18,2) not null,  -- CLP03
      paid_amount                   decimal(18,2) not null,  -- CLP04
      patient_responsibility_amount decimal(18,2),           -- CLP05
      payer_claim_control_number    varchar                  -- CLP07
    );
