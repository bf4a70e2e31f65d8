/**
 * `generate(options)`: the synthetic practice generator. Deterministic: the same options and seed give
 * byte-identical files. Practices are simulated one after another and every file is streamed to disk, so
 * memory is bounded by one practice's claims in flight, not by the size of the run.
 *
 * Layout under `outDir`:
 *   <practice_id>/pm/<entity>*.csv              PM exports in the practice's dialect
 *   <practice_id>/era/*.835                     one 835 per payer payment run
 *   <practice_id>/clearinghouse/*.999|*.277|*.csv  acknowledgements and the rejection report
 *   <practice_id>/contracts/fee_schedule*.csv  contracted rates per payer
 *   <practice_id>/bank/deposits*.csv            bank credits
 *   manifest.json                               options, ground-truth totals, planted anomalies, canaries
 */

import { existsSync, mkdirSync, readdirSync, rmSync, utimesSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { addMonths, dayOf, isoOf } from './dates.ts';
import { PM_DIALECT_NAMES, PM_DIALECTS, type PmDialect } from './dialects.ts';
import { asJson, type Canary, DEFINITIONS, type Manifest } from './manifest.ts';
import { Rng } from './prng.ts';
import { simulatePractice } from './simulate.ts';
import { FileLog, FileQueue, resetSinkCache, writeWhole } from './sink.ts';

export {
  BANK_DEPOSITS,
  CANONICAL_FIELDS,
  CLEARINGHOUSE_REJECTIONS,
  FEE_SCHEDULE,
  PM_DIALECT_NAMES,
  PM_DIALECTS,
} from './dialects.ts';
export type { Anomaly, Canary, Manifest, MonthTotals } from './manifest.ts';

const isoDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, 'expected YYYY-MM-DD')
  .refine((s) => {
    try {
      dayOf(s);
      return true;
    } catch {
      return false;
    }
  }, 'not a calendar date');

export const GenerateOptionsSchema = z
  .object({
    outDir: z.string().min(1),
    practices: z.number().int().min(1).max(999).default(1),
    providersPerPractice: z.number().int().min(1).max(40).default(6),
    months: z.number().int().min(1).max(120).default(24),
    startDate: isoDate.default('2024-11-01'),
    /** The day the data is "as of": events after it are not written. Default: 28 days after the last month. */
    asOf: isoDate.optional(),
    seed: z.union([z.string().min(1), z.number().int().nonnegative()]).default('rcm-demo'),
    /** PM export dialect per practice, cycled: practice i uses dialects[i % length]. */
    dialects: z.array(z.enum(PM_DIALECT_NAMES)).min(1).default(['canonical', 'ledger', 'compact']),
    /** Mean completed-or-not appointments per provider per business day. */
    visitsPerProviderDay: z.number().min(0.5).max(60).default(16),
    /** Also write the 837P batches behind the 999s and 277CAs, under <practice_id>/submitted/. */
    emit837: z.boolean().default(false),
    /** Replace an earlier generator output in outDir (only if it holds a manifest.json). */
    overwrite: z.boolean().default(false),
  })
  .strict();

export type GenerateOptions = z.input<typeof GenerateOptionsSchema>;
export type ResolvedOptions = z.output<typeof GenerateOptionsSchema>;

export function resolveOptions(input: GenerateOptions): ResolvedOptions & { asOf: string; endDate: string } {
  const o = GenerateOptionsSchema.parse(input);
  const start = dayOf(o.startDate);
  const end = addMonths(start, o.months) - 1;
  const asOf = o.asOf ?? isoOf(end + 28);
  if (dayOf(asOf) < end) throw new Error(`asOf ${asOf} is before the last service date ${isoOf(end)}`);
  return { ...o, asOf, endDate: isoOf(end) };
}

function prepareOutDir(outDir: string, overwrite: boolean): void {
  if (existsSync(outDir)) {
    const entries = readdirSync(outDir);
    if (entries.length > 0) {
      if (!overwrite)
        throw new Error(`${outDir} is not empty (pass overwrite to replace an earlier generator output)`);
      if (!entries.includes('manifest.json')) {
        throw new Error(`${outDir} is not empty and holds no manifest.json: refusing to delete it`);
      }
      for (const e of entries) {
        if (/^P\d{3}$/.test(e) || e === 'manifest.json')
          rmSync(join(outDir, e), { recursive: true, force: true });
      }
    }
  }
  mkdirSync(outDir, { recursive: true });
}

export async function generate(input: GenerateOptions): Promise<Manifest> {
  const o = resolveOptions(input);
  const outDir = resolve(o.outDir);
  prepareOutDir(outDir, o.overwrite);
  resetSinkCache();
  const seed = String(o.seed);
  const root = new Rng(`rcm-generate:${seed}`);
  const log = new FileLog(outDir);
  const files = new FileQueue(32);
  const startDay = dayOf(o.startDate);
  const endDay = dayOf(o.endDate);
  const asOfDay = dayOf(o.asOf);
  log.defaultTime = asOfDay * 86_400 + 6 * 3_600;

  const manifest: Manifest = {
    generator: 'rcm-warehouse synthetic practice generator',
    format_version: 1,
    options: {
      practices: o.practices,
      providersPerPractice: o.providersPerPractice,
      months: o.months,
      startDate: o.startDate,
      endDate: o.endDate,
      asOf: o.asOf,
      dialects: o.dialects,
      visitsPerProviderDay: o.visitsPerProviderDay,
      emit837: o.emit837,
    },
    seed,
    period: { start: o.startDate, end: o.endDate, as_of: o.asOf },
    money_unit: 'cents',
    definitions: DEFINITIONS,
    practices: [],
    totals: [],
    anomalies: [],
    canaries: [],
    files: [],
  };

  for (let i = 0; i < o.practices; i++) {
    const dialect = PM_DIALECTS[o.dialects[i % o.dialects.length] as string] as PmDialect;
    const res = await simulatePractice(
      root,
      {
        practiceIndex: i,
        providers: o.providersPerPractice,
        months: o.months,
        startDay,
        endDay,
        asOfDay,
        visitsPerProviderDay: o.visitsPerProviderDay,
        seed,
        dialect,
        outDir,
        emit837: o.emit837,
      },
      log,
      files,
    );
    log.applyTimes();
    manifest.practices.push(res.summary);
    manifest.totals.push(...res.totals.map((t) => asJson(t)));
    manifest.anomalies.push(...res.anomalies.map((a) => asJson(a)));
    for (const { patient: p, practiceId } of res.canaries) {
      const add = (field: Canary['field'], value: string) =>
        manifest.canaries.push({ practice_id: practiceId, patient_id: p.id, field, value });
      add('last_name', p.last);
      add('full_name', `${p.first} ${p.last}`);
      add('date_of_birth', isoOf(p.dob));
      add('member_id', p.memberId);
      add('phone', p.phone);
      add('address_line_1', p.address);
    }
    // Let other work run between practices on long runs.
    await new Promise<void>((r) => setImmediate(r));
  }
  manifest.files = [...log.files].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  writeWhole(join(outDir, 'manifest.json'), `${JSON.stringify(manifest, null, 2)}\n`);
  utimesSync(join(outDir, 'manifest.json'), log.defaultTime, log.defaultTime);
  return manifest;
}
