import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { z } from 'zod';
import { repoRoot } from '../config.ts';
import { CANONICAL, type CanonicalField, ENTITY_NAMES, type EntityName } from './canonical.ts';
import { normalizeHeader } from './header.ts';
import { describeIssues } from './profile-issues.ts';
import { type Route, type RowRule, routeProfiles } from './route.ts';

export type { Route, RowRule };

import { type Format, toStrptime } from './values-sql.ts';

/**
 * Mapping profiles: data (YAML in `pm-profiles/`) saying how one export dialect maps onto the canonical model.
 * A profile file describes one source system (a PM, a clearinghouse portal, a bank) and, per entity, which
 * columns feed which canonical fields. See docs/inputs.md for the format with a worked example.
 */

const negativeStyle = z.enum(['minus', 'parentheses', 'trailing_minus']);

const moneySchema = z.strictObject({
  /** Currency signs that may precede the number ('$'). */
  symbols: z.array(z.string().min(1)).optional(),
  /** Thousands separator ('' for none). */
  thousands: z.string().max(1).optional(),
  decimal: z.enum(['.', ',']).optional(),
  negatives: z.array(negativeStyle).min(1).optional(),
});

const skipRuleSchema = z.strictObject({
  /** Header of the column to test; the first column when absent. */
  column: z.string().min(1).optional(),
  /** Regular expression the trimmed value must match, case-insensitively (e.g. '^(grand )?totals?$'). */
  pattern: z.string().min(1),
  /** The row holds the sums of the money columns: when the file has one such row, the sums must agree. */
  totals: z.boolean().optional(),
});

const formatSchema = z.strictObject({
  /** 'auto' reads UTF-8 and falls back to Windows-1252 when the file is not valid UTF-8. */
  encoding: z.enum(['auto', 'utf-8', 'windows-1252']).optional(),
  delimiter: z.string().length(1).optional(),
  quote: z.string().length(1).optional(),
  /** Date formats tried in order: YYYY, YY, MM/M, DD/D, or strptime codes (%d.%m.%Y). */
  dates: z.array(z.string().min(1)).min(1).optional(),
  /** Date-time formats tried in order (HH 24h, hh 12h with AM, mm minutes, ss seconds). */
  datetimes: z.array(z.string().min(1)).min(1).optional(),
  money: moneySchema.optional(),
  booleans: z
    .strictObject({ true: z.array(z.string()).min(1), false: z.array(z.string()).min(1) })
    .optional(),
  /** Rows to leave out: totals and footer rows. A row repeating the header is always left out. */
  skip_rows: z.array(skipRuleSchema).optional(),
});
export type FormatInput = z.infer<typeof formatSchema>;

const scalar = z.union([z.string(), z.number(), z.boolean()]).transform(String);

/**
 * A keep or drop rule on one column's value: `in` lists values (trimmed, case-insensitive), `pattern` is a
 * case-insensitive RE2 regular expression on the trimmed value. `reason` names the rows it leaves out.
 */
const rowRuleSchema = z
  .strictObject({
    column: z.string().min(1),
    in: z.array(scalar).min(1).optional(),
    pattern: z.string().min(1).optional(),
    reason: z.string().min(1).optional(),
  })
  .refine((rule) => (rule.in === undefined) !== (rule.pattern === undefined), {
    message: 'expected exactly one of in: [values] or pattern: a regular expression',
  });

/** Which rows of the file are this entity's: a row is loaded when it matches every keep rule and no drop rule. */
const rowsSchema = z.strictObject({
  keep: z.array(rowRuleSchema).min(1).optional(),
  drop: z.array(rowRuleSchema).min(1).optional(),
});

const columnSchema = z.union([
  z.string().min(1),
  z.strictObject({
    field: z.string().min(1),
    optional: z.boolean().optional(),
    /** Coded values: the file's value (trimmed, case-insensitive) -> the value stored (payer_type 0/1). */
    values: z.record(z.string(), scalar).optional(),
    /** A value the map does not list: refuse the file (default) or store it as it is. */
    others: z.enum(['refuse', 'keep']).optional(),
  }),
  z.strictObject({
    /** One column holding several fields (CPT and modifiers: '99213-25-59'). */
    split: z.array(z.string().min(1)).min(2),
    separator: z.string().min(1),
    optional: z.boolean().optional(),
  }),
]);

const snapshotMode = z.enum(['full', 'incremental']);

const entitySchema = z.strictObject({
  /** 'canonical': every canonical field under its own name. Otherwise header -> field, 'ignore', or split. */
  columns: z.union([z.literal('canonical'), z.record(z.string().min(1), columnSchema)]),
  /** Fields with the same value on every row (e.g. payment_source: patient for a patient-payments export). */
  constants: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).optional(),
  format: formatSchema.optional(),
  /** Rows to leave out (totals, footers): as `format.skip_rows`, for this entity only. */
  skip_rows: z.array(skipRuleSchema).optional(),
  /** Keep and drop rules by column value (row kinds, soft-deleted rows), counted by reason. */
  rows: rowsSchema.optional(),
  /**
   * A repeating column group (a claim row with CPT1..CPT6, Charge1..Charge6): one row per group that holds a
   * value, `{n}` in a header standing for the group's number, which `line_number` (a field) receives.
   */
  repeat: z
    .strictObject({
      groups: z.number().int().min(2).max(99),
      line_number: z.string().min(1).optional(),
      /**
       * A column numbering continuation rows from 1 (a claim of more lines than `groups` continues on the next
       * form): line_number is then (page − 1) × groups + n. A file without the column is all first pages.
       */
      page: z.string().min(1).optional(),
      columns: z.record(z.string().regex(/\{n\}/, 'a header holding {n}'), columnSchema),
    })
    .optional(),
  /** Money fields the file writes with the opposite sign (a signed ledger's payments and adjustments). */
  negate: z.array(z.string().min(1)).min(1).optional(),
  /** Fields built from several columns joined by a separator (a payment id from patient + encounter + seq). */
  compose: z
    .record(
      z.string().min(1),
      z.strictObject({ columns: z.array(z.string().min(1)).min(2), separator: z.string().optional() }),
    )
    .optional(),
  /**
   * File-name patterns (* and ?, case-insensitive) that choose this profile explicitly: a file whose name
   * matches is read with it (if its header fits), whatever other profile might fit too.
   */
  file_name: z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]).optional(),
  snapshot: z
    .strictObject({
      /** The date the export's range is about (default: the entity's snapshot date). */
      date_field: z.string().min(1).optional(),
      /**
       * Regular expression on the file name with named groups year and month (a monthly export),
       * or from and to (YYYY-MM-DD or YYYYMMDD): the export's declared range.
       */
      period_from_file_name: z.string().min(1).optional(),
      /** 'full': the file is the whole of its range (default); 'incremental': a batch that deletes nothing. */
      mode: snapshotMode.optional(),
    })
    .optional(),
});

export const profileFileSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'profile name: lower case letters, digits, _ or -'),
  description: z.string().optional(),
  format: formatSchema.optional(),
  /** Defaults for every entity's snapshot settings (an entity's own settings win). */
  snapshot: z
    .strictObject({ period_from_file_name: z.string().min(1).optional(), mode: snapshotMode.optional() })
    .optional(),
  /** Keep and drop rules for every entity (an entity's own rules are added to these). */
  rows: rowsSchema.optional(),
  /**
   * One file, several entities: the value of `column` says which entity a row is (charge, payment,
   * adjustment…). A value listed under no entity refuses the file, unless `others: drop` leaves such rows out.
   */
  route: z
    .strictObject({
      column: z.string().min(1),
      entities: z.partialRecord(z.enum(ENTITY_NAMES), z.array(scalar).min(1)),
      others: z.enum(['refuse', 'drop']).optional(),
    })
    .optional(),
  /**
   * One file, several entities, each taking the rows its own `rows:` rules keep (a table whose rows hold a
   * payment, an adjustment or both, in two amount columns): loaded together like a routed file.
   */
  split: z.array(z.enum(ENTITY_NAMES)).min(2).optional(),
  /** Columns the profile does not list: 'warn' (default: one warning each) or 'ignore' (neither counted nor warned). */
  unknown_columns: z.enum(['warn', 'ignore']).optional(),
  entities: z.partialRecord(z.enum(ENTITY_NAMES), entitySchema),
});
export type ProfileFile = z.infer<typeof profileFileSchema>;

export const defaultFormat: Format = {
  encoding: 'auto',
  delimiter: ',',
  quote: '"',
  dates: ['YYYY-MM-DD'],
  datetimes: ['YYYY-MM-DDTHH:mm:ss', 'YYYY-MM-DD HH:mm:ss', 'YYYY-MM-DD HH:mm'],
  money: { symbols: ['$'], thousands: ',', decimal: '.', negatives: ['minus'] },
  booleans: { true: ['true', 't', 'yes', 'y', '1'], false: ['false', 'f', 'no', 'n', '0'] },
  skip_rows: [],
};

export interface ProfileColumn {
  header: string;
  /** Canonical fields fed by this column: none (ignored), one, or several (split). */
  fields: CanonicalField[];
  separator: string | null;
  /**
   * A file may lack this column: its fields stay empty. By default a column is optional when it feeds no
   * required field; `optional: false` makes it part of the header signature anyway.
   */
  optional: boolean;
  /** Coded values, keys upper-cased: the file's value -> the value stored. */
  values: Map<string, string> | null;
  /** A value the map does not list is refused (false) or stored as it is (true). */
  keepOthers: boolean;
  /** In a repeating group: the group's number (from 1) and the header with {n}. */
  group?: { n: number; template: string };
}

export interface Composite {
  field: CanonicalField;
  headers: string[];
  separator: string;
}

/** One profile applied to one entity: what detection and loading work with. */
export interface Profile {
  /** 'ledger/charges' */
  id: string;
  name: string;
  entity: EntityName;
  source: string;
  format: Format;
  columns: ProfileColumn[];
  constants: { field: CanonicalField; value: string | number | boolean }[];
  snapshotDate: string | null;
  periodFromFileName: RegExp | null;
  /** A full snapshot of its range deletes earlier rows it no longer lists; an incremental batch never does. */
  snapshotMode: 'full' | 'incremental';
  /** File names that choose this profile explicitly. */
  fileNames: RegExp[];
  rowRules: RowRule[];
  /** Money fields stored with the opposite sign of the file's. */
  negate: string[];
  composites: Composite[];
  /** Columns the profile does not list are neither counted against the fit nor warned about. */
  ignoreUnknown: boolean;
  route: Route | null;
  /** Repeating column groups: how many, the field that receives a group's number, the page column if any. */
  repeat: { groups: number; lineNumberField: string | null; pageHeader: string | null } | null;
}

/** A file-name pattern with * and ? as a case-insensitive regular expression on the whole name. */
export function globPattern(glob: string): RegExp {
  const body = glob
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${body}$`, 'i');
}

export { normalizeHeader };

function mergeFormat(...layers: (FormatInput | undefined)[]): Format {
  const format: Format = structuredClone(defaultFormat);
  for (const layer of layers) {
    if (!layer) continue;
    const { money, ...rest } = layer;
    Object.assign(format, Object.fromEntries(Object.entries(rest).filter(([, v]) => v !== undefined)));
    if (money) {
      format.money = {
        ...format.money,
        ...Object.fromEntries(Object.entries(money).filter(([, v]) => v !== undefined)),
      };
    }
  }
  return format;
}

export class ProfileError extends Error {
  override name = 'ProfileError';
}

/** Validates one parsed profile file and expands it into one Profile per entity. */
export function resolveProfileFile(raw: unknown, source: string): Profile[] {
  const parsed = profileFileSchema.safeParse(raw);
  if (!parsed.success) {
    throw new ProfileError(
      `profile ${source} is invalid: ${describeIssues(profileFileSchema, parsed.error.issues).join('; ')}`,
    );
  }
  const file = parsed.data;
  const profiles: Profile[] = [];
  for (const entity of ENTITY_NAMES) {
    const spec = file.entities[entity];
    if (!spec) continue;
    const id = `${file.name}/${entity}`;
    const fail = (message: string): never => {
      throw new ProfileError(`profile ${source}, ${id}: ${message}`);
    };
    const canonical = CANONICAL[entity];
    const fieldOf = (name: string): CanonicalField =>
      canonical.fields.find((field) => field.name === name) ??
      fail(`${name} is not a field of ${entity} (fields: ${canonical.fields.map((x) => x.name).join(', ')})`);

    const columns: ProfileColumn[] = [];
    const entries: [string, z.infer<typeof columnSchema>][] =
      spec.columns === 'canonical'
        ? canonical.fields.map((field) => [field.name, { field: field.name, optional: !field.required }])
        : Object.entries(spec.columns);
    const toColumn = (header: string, mapping: z.infer<typeof columnSchema>): void => {
      const plain = { separator: null, values: null, keepOthers: false };
      if (typeof mapping === 'string') {
        const fields = mapping === 'ignore' ? [] : [fieldOf(mapping)];
        const optional = fields.every((field) => !field.required);
        columns.push({ ...plain, header, fields, optional });
      } else if ('field' in mapping) {
        const field = fieldOf(mapping.field);
        const values = mapping.values
          ? new Map(Object.entries(mapping.values).map(([code, value]) => [code.trim().toUpperCase(), value]))
          : null;
        if (mapping.others && !values) fail(`column "${header}": others applies to a values map`);
        columns.push({
          ...plain,
          header,
          fields: [field],
          optional: mapping.optional ?? !field.required,
          values,
          keepOthers: mapping.others === 'keep',
        });
      } else {
        const fields = mapping.split.map(fieldOf);
        const optional = mapping.optional ?? fields.every((field) => !field.required);
        columns.push({ ...plain, header, fields, separator: mapping.separator, optional });
      }
    };
    for (const [header, mapping] of entries) toColumn(header, mapping);
    // A repeating group: its columns once per group; only the first group's are needed in the header.
    const repeat = spec.repeat;
    for (let n = 1; repeat && n <= repeat.groups; n++) {
      for (const [template, mapping] of Object.entries(repeat.columns)) {
        toColumn(template.replaceAll('{n}', String(n)), mapping);
        const column = columns[columns.length - 1] as ProfileColumn;
        column.group = { n, template };
        if (n > 1) column.optional = true;
      }
    }
    const seenHeaders = new Set<string>();
    const seenFields = new Set<string>();
    for (const column of columns) {
      const key = normalizeHeader(column.header);
      if (seenHeaders.has(key)) fail(`column "${column.header}" is listed twice`);
      seenHeaders.add(key);
      for (const field of column.group && column.group.n > 1 ? [] : column.fields) {
        if (seenFields.has(field.name)) fail(`field ${field.name} is fed by two columns`);
        seenFields.add(field.name);
        if (field.required && column.optional) fail(`column "${column.header}" feeds required ${field.name}`);
      }
    }
    // Columns that rules and composite fields read must be in the file; a column the profile does not map
    // otherwise is known (not warned about) and not loaded on its own.
    const listed = (header: string) =>
      columns.find((column) => normalizeHeader(column.header) === normalizeHeader(header));
    const needColumn = (header: string, optional: boolean) => {
      const column = listed(header);
      if (column) column.optional &&= optional;
      else columns.push({ header, fields: [], separator: null, optional, values: null, keepOthers: false });
    };
    const composites: Composite[] = Object.entries(spec.compose ?? {}).map(([name, composite]) => {
      const field = fieldOf(name);
      if (field.type !== 'text' && field.type !== 'code')
        fail(`compose ${name}: only text fields are composed`);
      if (seenFields.has(name)) fail(`field ${name} is both a column and a composed field`);
      seenFields.add(name);
      for (const header of composite.columns) needColumn(header, !field.required);
      return { field, headers: composite.columns, separator: composite.separator ?? '-' };
    });
    const rowRules: RowRule[] = (['keep', 'drop'] as const).flatMap((kind) =>
      [...(file.rows?.[kind] ?? []), ...(spec.rows?.[kind] ?? [])].map((rule) => {
        needColumn(rule.column, false);
        if (rule.pattern !== undefined) {
          try {
            new RegExp(rule.pattern, 'i');
          } catch {
            fail(`rows.${kind} pattern ${rule.pattern} is not a regular expression`);
          }
        }
        const test = rule.in ? `in (${rule.in.join(', ')})` : `matching /${rule.pattern}/`;
        return {
          kind,
          header: rule.column,
          values: rule.in ? rule.in.map((value) => value.trim().toUpperCase()) : null,
          pattern: rule.pattern ?? null,
          reason: rule.reason ?? `${rule.column} ${kind === 'keep' ? 'not ' : ''}${test}`,
        };
      }),
    );
    const negate = (spec.negate ?? []).map((name) => {
      const field = fieldOf(name);
      if (field.type !== 'money') fail(`negate ${name}: only amounts change sign`);
      return name;
    });
    let lineNumberField: string | null = null;
    if (repeat?.line_number) {
      const field = fieldOf(repeat.line_number);
      if (field.type !== 'int')
        fail(`repeat.line_number ${field.name}: a whole-number field receives the group's number`);
      if (seenFields.has(field.name)) fail(`field ${field.name} is both a column and repeat.line_number`);
      seenFields.add(field.name);
      lineNumberField = field.name;
    }
    if (repeat?.page) {
      if (!lineNumberField) fail('repeat.page: numbers lines across rows, so it needs repeat.line_number');
      needColumn(repeat.page, true);
    }
    const constants = Object.entries(spec.constants ?? {}).map(([name, value]) => {
      const field = fieldOf(name);
      if (seenFields.has(name)) fail(`field ${name} is both a column and a constant`);
      seenFields.add(name);
      return { field, value };
    });
    const missing = canonical.fields.filter((field) => field.required && !seenFields.has(field.name));
    if (missing.length > 0)
      fail(`required fields without a column: ${missing.map((x) => x.name).join(', ')}`);

    const format = mergeFormat(
      file.format,
      spec.format,
      spec.skip_rows ? { skip_rows: spec.skip_rows } : undefined,
    );
    // Two formats reading the same text differently (03/04: March or April?) would make dates a guess.
    const codes = [...format.dates, ...format.datetimes].map(toStrptime);
    const swapped = (code: string) => code.replace(/%m|%d/g, (c) => (c === '%m' ? '%d' : '%m'));
    const clash = codes.find((code) => code !== swapped(code) && codes.includes(swapped(code)));
    if (clash) fail(`date formats ${clash} and ${swapped(clash)} read the same dates differently: keep one`);
    for (const rule of format.skip_rows) {
      try {
        new RegExp(rule.pattern, 'i');
      } catch {
        fail(`skip_rows pattern ${rule.pattern} is not a regular expression`);
      }
    }
    const snapshotDate =
      spec.snapshot?.date_field === undefined
        ? canonical.snapshotDate
        : fieldOf(spec.snapshot.date_field).name;
    let periodFromFileName: RegExp | null = null;
    const periodPattern = spec.snapshot?.period_from_file_name ?? file.snapshot?.period_from_file_name;
    if (periodPattern) {
      try {
        periodFromFileName = new RegExp(periodPattern);
      } catch {
        fail(`period_from_file_name ${periodPattern} is not a regular expression`);
      }
    }
    profiles.push({
      id,
      name: file.name,
      entity,
      source,
      format,
      columns,
      constants,
      snapshotDate,
      periodFromFileName,
      snapshotMode: spec.snapshot?.mode ?? file.snapshot?.mode ?? 'full',
      fileNames: (spec.file_name === undefined ? [] : [spec.file_name].flat()).map(globPattern),
      rowRules,
      negate,
      composites,
      ignoreUnknown: file.unknown_columns === 'ignore',
      route: null,
      repeat: repeat ? { groups: repeat.groups, lineNumberField, pageHeader: repeat.page ?? null } : null,
    });
  }
  const fail = (message: string): never => {
    throw new ProfileError(`profile ${source}: ${message}`);
  };
  if (file.route && file.split) fail('route and split: use one of them');
  if (file.route) routeProfiles(file.route, file.name, profiles, fail);
  if (file.split) {
    const entities = Object.fromEntries(file.split.map((entity) => [entity, []]));
    routeProfiles({ entities }, file.name, profiles, fail);
  }
  return profiles;
}

/** The profile folders: the repository's `pm-profiles/`, or RCM_PROFILES (folders separated by ':'). */
export function profileDirs(env: NodeJS.ProcessEnv = process.env): string[] {
  const configured = env.RCM_PROFILES?.split(path.delimiter).filter(Boolean);
  return configured && configured.length > 0 ? configured : [path.join(repoRoot, 'pm-profiles')];
}

const cache = new Map<string, Profile[]>();

function profileSources(dirs: string[]): string[] {
  return dirs.flatMap((dir) =>
    readdirSync(dir)
      .filter((name) => /\.ya?ml$/i.test(name))
      .sort()
      .map((name) => path.join(dir, name)),
  );
}

/**
 * Reads and validates every `*.yaml`/`*.yml` profile in the folders, in name order. Parsed profiles are kept
 * while the files are unchanged (same names, sizes and modification times).
 */
export function loadProfiles(dirs: string[] = profileDirs()): Profile[] {
  const sources = profileSources(dirs);
  const key = sources
    .map((source) => {
      const stat = statSync(source);
      return `${source}\0${stat.size}\0${stat.mtimeMs}`;
    })
    .join('\n');
  const cached = cache.get(key);
  if (cached) return cached;
  const profiles = readProfiles(sources);
  cache.clear();
  cache.set(key, profiles);
  return profiles;
}

function readProfiles(sources: string[]): Profile[] {
  const profiles: Profile[] = [];
  const names = new Map<string, string>();
  for (const source of sources) {
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(source, 'utf8'));
    } catch (error) {
      throw new ProfileError(`profile ${source} is not valid YAML: ${(error as Error).message}`);
    }
    for (const profile of resolveProfileFile(raw, source)) {
      const previous = names.get(profile.id);
      if (previous) throw new ProfileError(`profile ${profile.id} is defined in ${previous} and ${source}`);
      names.set(profile.id, source);
      profiles.push(profile);
    }
  }
  return profiles;
}
