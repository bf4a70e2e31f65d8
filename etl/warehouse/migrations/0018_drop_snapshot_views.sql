-- The views migration 0010 created, raw.<table>_latest and raw.<table>_current, applied the PM snapshot rules in
-- the ETL's schema. The dbt staging models apply those rules themselves (macros/pm_snapshot.sql) and nothing
-- reads the views, so they go: raw holds only what the files said.
drop view if exists raw.pm_patients_current;
drop view if exists raw.pm_patients_latest;
drop view if exists raw.pm_providers_current;
drop view if exists raw.pm_providers_latest;
drop view if exists raw.pm_payers_current;
drop view if exists raw.pm_payers_latest;
drop view if exists raw.pm_locations_current;
drop view if exists raw.pm_locations_latest;
drop view if exists raw.pm_appointments_current;
drop view if exists raw.pm_appointments_latest;
drop view if exists raw.pm_charges_current;
drop view if exists raw.pm_charges_latest;
drop view if exists raw.pm_payments_current;
drop view if exists raw.pm_payments_latest;
drop view if exists raw.pm_adjustments_current;
drop view if exists raw.pm_adjustments_latest;
drop view if exists raw.clearinghouse_rejections_current;
drop view if exists raw.clearinghouse_rejections_latest;
drop view if exists raw.bank_deposits_current;
drop view if exists raw.bank_deposits_latest;
drop view if exists raw.fee_schedules_current;
drop view if exists raw.fee_schedules_latest;
