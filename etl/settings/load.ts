import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { type Settings, settingsSchema } from './schema.ts';

export const SETTINGS_FILE_NAME = 'rcm.config.yaml';

/** A settings file that cannot be read or does not validate; `rcm` exits 7 with this message. */
export class SettingsError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'SettingsError';
  }
}

/** Where the settings live: `--config FILE` (which sets RCM_CONFIG), else rcm.config.yaml in the current folder. */
export function settingsPath(env: NodeJS.ProcessEnv = process.env, cwd: string = process.cwd()): string {
  return path.resolve(cwd, env.RCM_CONFIG ?? SETTINGS_FILE_NAME);
}

export interface LoadedSettings {
  /** The file read, or null when there is none (every setting at its default). */
  file: string | null;
  settings: Settings;
}

/**
 * Reads and validates the settings file, then applies the environment overrides a deployment uses
 * (RCM_WAREHOUSE, RCM_INBOX, RCM_REPORTS_OUT, RCM_SCHEDULE, RCM_TIMEZONE). A missing file is fine unless
 * RCM_CONFIG named it. Relative paths in the file are resolved against the file's folder.
 */
export function loadSettings(
  env: NodeJS.ProcessEnv = process.env,
  cwd: string = process.cwd(),
): LoadedSettings {
  const file = settingsPath(env, cwd);
  let raw: unknown = {};
  let found = false;
  if (existsSync(file)) {
    found = true;
    raw = parseYaml(file);
  } else if (env.RCM_CONFIG !== undefined) {
    throw new SettingsError(`${file}: no such settings file (named by --config or RCM_CONFIG)`);
  }
  const settings = validate(file, raw);
  const base = path.dirname(file);
  const resolve = (value: string | undefined) =>
    value === undefined ? undefined : path.resolve(base, value);
  settings.warehouse = env.RCM_WAREHOUSE ?? resolve(settings.warehouse);
  settings.inbox = env.RCM_INBOX ?? resolve(settings.inbox);
  settings.reports_out = env.RCM_REPORTS_OUT ?? resolve(settings.reports_out);
  if (env.RCM_SCHEDULE !== undefined || env.RCM_TIMEZONE !== undefined) {
    const overridden = validate(`${file} (with RCM_SCHEDULE/RCM_TIMEZONE)`, {
      schedule: {
        cron: env.RCM_SCHEDULE ?? settings.schedule?.cron,
        ...((env.RCM_TIMEZONE ?? settings.schedule?.timezone)
          ? { timezone: env.RCM_TIMEZONE ?? settings.schedule?.timezone }
          : {}),
      },
    });
    settings.schedule = overridden.schedule;
  }
  return { file: found ? file : null, settings };
}

function parseYaml(file: string): unknown {
  const document = parseDocument(readFileSync(file, 'utf8'), { prettyErrors: true });
  const [first] = document.errors;
  if (first) {
    const where = first.linePos?.[0];
    throw new SettingsError(
      `${file}${where ? `:${where.line}:${where.col}` : ''}: not valid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  return document.toJS() ?? {};
}

/** Validates, reporting every problem as `FILE: key.path: expected …, got …`. */
export function validate(file: string, raw: unknown): Settings {
  const result = settingsSchema.safeParse(raw);
  if (result.success) return result.data;
  const lines = result.error.issues.map((issue) => `  ${keyPath(issue.path)}: ${expectation(issue, raw)}`);
  throw new SettingsError(`${file}: invalid settings\n${lines.join('\n')}`);
}

function keyPath(parts: PropertyKey[]): string {
  if (parts.length === 0) return '(top level)';
  return parts
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index === 0 ? '' : '.'}${String(part)}`,
    )
    .join('');
}

function expectation(issue: z.core.$ZodIssue, raw: unknown): string {
  const got = valueAt(raw, issue.path);
  const shown = got === undefined ? 'nothing' : JSON.stringify(got);
  if (issue.code === 'unrecognized_keys') {
    return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `'${k}'`).join(', ')} (docs/usage.md lists the settings)`;
  }
  if (issue.code === 'invalid_type') return `expected ${issue.expected}, got ${shown}`;
  return `expected ${issue.message.replace(/^Invalid input: /, '')}, got ${shown}`;
}

function valueAt(raw: unknown, parts: PropertyKey[]): unknown {
  let value = raw;
  for (const part of parts) {
    if (value === null || typeof value !== 'object') return undefined;
    value = (value as Record<PropertyKey, unknown>)[part];
  }
  return value;
}
