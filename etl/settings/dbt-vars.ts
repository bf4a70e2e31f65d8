import type { Settings } from './schema.ts';

/**
 * The practices' settings as dbt vars: the staging models in models/staging/settings/ turn them into rows, so
 * the settings file stays the one source of truth and both engines (DuckDB, Spark) see the same values.
 * Numbers travel as text so that targets such as 0.955 reach DECIMAL columns exactly.
 */
export function settingsDbtVars(settings: Settings): Record<string, unknown[]> {
  const practices = settings.practices;
  return {
    rcm_practices: practices.map((p) => ({
      practice_id: p.id,
      practice_name: p.name,
      time_zone: p.timezone,
      rejection_sla_business_days: p.rejection_sla_business_days ?? null,
      small_cell_min_claims: p.small_cell_min_claims ?? null,
    })),
    rcm_kpi_targets: practices.flatMap((p) =>
      Object.entries(p.kpi_targets).map(([kpi, target]) => ({
        practice_id: p.id,
        kpi_name: kpi,
        target_value: String(target.target),
        poor_value: target.poor === undefined ? null : String(target.poor),
      })),
    ),
    rcm_vendor_changes: practices.flatMap((p) =>
      p.billing_vendor_changes.map((change) => ({
        practice_id: p.id,
        change_date: change.date,
        vendor: change.vendor,
      })),
    ),
    rcm_filing_limits: practices.flatMap((p) =>
      Object.entries(p.timely_filing_days).map(([payer, days]) => ({
        practice_id: p.id,
        payer_id: payer,
        filing_limit_days: days,
      })),
    ),
  };
}
