-- Rows of a CSV export that were read but not stored (docs/inputs.md §3): left out by an entity's keep/drop
-- rules (another row kind, a row deleted or voided in the PM, a routed value going to no entity) or, for the
-- whole file, by a skip rule (totals, footers) or as a repeated header line. Each one stays traceable to its
-- file and physical line with the reason the load gave; raw.file_warnings keeps the counts. No cell of the row
-- is copied: the kept copy of the file (raw.files.stored_path) holds it.
create table raw.pm_left_out_rows (
  practice_id varchar not null,
  file_id bigint not null,
  line_no bigint not null,
  -- the entity whose rules left the row out; null for a row every entity of the file leaves out
  entity varchar,
  -- rows.keep, rows.drop, route (a value routed to no entity), skip_rows or repeated_header
  rule varchar not null,
  reason varchar not null
);
