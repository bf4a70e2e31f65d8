-- Quantities (SVC05/07, CAS, QTY, 277CA QTY) become DECIMAL(18,4): exact, like money. A stored DOUBLE that
-- DECIMAL(18,4) cannot hold (14 whole digits or more, or a fraction beyond four decimals past binary noise)
-- is set to null, as a load today would, with a warning on its file; the cast of the rest cannot fail, so an
-- existing warehouse always opens. Each alter is one statement: DuckDB refuses to alter a table the same
-- transaction has updated.

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'units ' || units::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.era_service_lines where units is not null and (abs(units) >= 1e14 or abs(units * 10000 - round(units * 10000)) > 1e-6);

alter table raw.era_service_lines alter column units type decimal(18,4)
       using (case when units is not null and (abs(units) >= 1e14 or abs(units * 10000 - round(units * 10000)) > 1e-6) then null else units end);

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'original_units ' || original_units::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.era_service_lines where original_units is not null and (abs(original_units) >= 1e14 or abs(original_units * 10000 - round(original_units * 10000)) > 1e-6);

alter table raw.era_service_lines alter column original_units type decimal(18,4)
       using (case when original_units is not null and (abs(original_units) >= 1e14 or abs(original_units * 10000 - round(original_units * 10000)) > 1e-6) then null else original_units end);

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'quantity ' || quantity::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.era_adjustments where quantity is not null and (abs(quantity) >= 1e14 or abs(quantity * 10000 - round(quantity * 10000)) > 1e-6);

alter table raw.era_adjustments alter column quantity type decimal(18,4)
       using (case when quantity is not null and (abs(quantity) >= 1e14 or abs(quantity * 10000 - round(quantity * 10000)) > 1e-6) then null else quantity end);

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'quantity ' || quantity::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.era_quantities where quantity is not null and (abs(quantity) >= 1e14 or abs(quantity * 10000 - round(quantity * 10000)) > 1e-6);

alter table raw.era_quantities alter column quantity type decimal(18,4)
       using (case when quantity is not null and (abs(quantity) >= 1e14 or abs(quantity * 10000 - round(quantity * 10000)) > 1e-6) then null else quantity end);

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'accepted_quantity ' || accepted_quantity::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.ack_277_statuses where accepted_quantity is not null and (abs(accepted_quantity) >= 1e14 or abs(accepted_quantity * 10000 - round(accepted_quantity * 10000)) > 1e-6);

alter table raw.ack_277_statuses alter column accepted_quantity type decimal(18,4)
       using (case when accepted_quantity is not null and (abs(accepted_quantity) >= 1e14 or abs(accepted_quantity * 10000 - round(accepted_quantity * 10000)) > 1e-6) then null else accepted_quantity end);

insert into raw.file_warnings
       select file_id, practice_id, 'segment ' || segment_no, 'x12.invalid_quantity',
              'rejected_quantity ' || rejected_quantity::varchar || ' is not a quantity DECIMAL(18,4) holds exactly; set to null by migration 0004'
         from raw.ack_277_statuses where rejected_quantity is not null and (abs(rejected_quantity) >= 1e14 or abs(rejected_quantity * 10000 - round(rejected_quantity * 10000)) > 1e-6);

alter table raw.ack_277_statuses alter column rejected_quantity type decimal(18,4)
       using (case when rejected_quantity is not null and (abs(rejected_quantity) >= 1e14 or abs(rejected_quantity * 10000 - round(rejected_quantity * 10000)) > 1e-6) then null else rejected_quantity end);
