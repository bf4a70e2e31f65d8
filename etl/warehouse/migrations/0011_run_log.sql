-- The run log: one row per run of a command that changes the warehouse (load, transform, reports, demo, run,
-- recover). Counts, times, outcome and the first line of an error; never a file's content, so nothing here
-- identifies a patient (a quarantined file's reason stays in raw.files). outcome and finished_at stay null
-- while a run is going, and for good when it was killed.

create table raw.runs (
      run_id            varchar primary key,
      command           varchar not null,   -- 'run', 'load', 'transform', ...
      started_at        timestamp not null, -- UTC
      finished_at       timestamp,          -- UTC
      outcome           varchar check (outcome in ('ok', 'quarantined', 'dbt_failed', 'reports_failed', 'error', 'lock_held')),
      exit_code         integer,
      last_step         varchar,            -- 'load', 'dbt', 'reports': the step reached
      files_loaded      integer,
      files_skipped     integer,
      files_quarantined integer,
      rows_loaded       bigint,
      load_seconds      double,
      dbt_seconds       double,
      reports_seconds   double,
      error_message     varchar
    );
