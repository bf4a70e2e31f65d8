import cron from 'node-cron';
import { z } from 'zod';

/**
 * The settings file (`rcm.config.yaml`, docs/usage.md): one place for what a deployment and each practice
 * decide. zod checks it at the boundary; every message names the key and the value expected.
 */

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD')
  .refine((text) => !Number.isNaN(Date.parse(`${text}T00:00:00Z`)), 'a real calendar date (YYYY-MM-DD)');

const timeZone = z.string().refine((zone) => {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}, 'an IANA time zone such as America/Chicago');

/** Practice and payer ids become folder names and SQL literals: keep them to a safe alphabet. */
const identifier = z
  .string()
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/,
    'letters, digits, _ . - (at most 64, starting with a letter or digit)',
  );

/** Rates are fractions (0.95 = 95 %), days are days: the units of kpi_monthly's columns. */
const kpiTargetSchema = z.strictObject({
  target: z.number().finite(),
  poor: z.number().finite().optional(),
});

const vendorChangeSchema = z.strictObject({
  date: isoDate,
  vendor: z.string().min(1, 'the new billing vendor (or "in-house")').max(200),
  note: z.string().max(500).optional(),
});

export const practiceSettingsSchema = z.strictObject({
  id: identifier,
  name: z.string().min(1, 'the practice name').max(200),
  timezone: timeZone.default('America/New_York'),
  /** Business days within which a clearinghouse rejection must be worked; unset, the seed's (2). */
  rejection_sla_business_days: z.number().int().min(0).max(30).optional(),
  /** Aggregates over fewer claims than this are suppressed in marts shared outside the practice; unset, 11. */
  small_cell_min_claims: z.number().int().min(1).max(1000).optional(),
  /** Per-KPI targets overriding seeds/kpi_targets.csv, keyed by kpi_monthly column name. */
  kpi_targets: z
    .record(z.string().regex(/^[a-z][a-z0-9_]*$/, 'a kpi_monthly column name'), kpiTargetSchema)
    .default({}),
  /** Dates the practice changed billing vendor (or took billing in-house): the governance before/after. */
  billing_vendor_changes: z.array(vendorChangeSchema).default([]),
  /** Filing limit in days from the date of service, per payer id, overriding the payer-type default. */
  timely_filing_days: z.record(identifier, z.number().int().min(1).max(3650)).default({}),
});

export const settingsSchema = z.strictObject({
  /** The DuckDB file; relative paths are relative to the settings file. */
  warehouse: z.string().min(1).optional(),
  /** The inbox folder (INBOX/<practice_id>/...). */
  inbox: z.string().min(1).optional(),
  /** Where the report site is built. */
  reports_out: z.string().min(1).optional(),
  schedule: z
    .strictObject({
      cron: z.string().refine((expression) => cron.validate(expression), {
        message: 'a cron expression such as "30 6 * * 1-5" (minute hour day month weekday)',
      }),
      timezone: timeZone.optional(),
    })
    .optional(),
  freshness: z
    .strictObject({
      stale_835_days: z.number().int().min(1).max(365).default(14),
    })
    .default({ stale_835_days: 14 }),
  practices: z
    .array(practiceSettingsSchema)
    .default([])
    .refine((list) => new Set(list.map((p) => p.id)).size === list.length, 'practice ids used once each'),
});

export type Settings = z.infer<typeof settingsSchema>;
export type PracticeSettings = z.infer<typeof practiceSettingsSchema>;
