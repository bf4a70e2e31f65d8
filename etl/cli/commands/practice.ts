import { existsSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { addPractice } from '../../settings/edit.ts';
import { loadSettings, settingsPath } from '../../settings/load.ts';
import type { PracticeSettings } from '../../settings/schema.ts';
import { openWarehouseReadOnly } from '../../warehouse/connection.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

type Row = Record<string, string | number | boolean | null>;

/** What the warehouse holds for one practice: loaded files per source kind and the newest of each. */
interface PracticeData {
  practice_id: string;
  files: Row[];
}

/**
 * `rcm practice add|list|show`: the practices of a deployment (a billing company has many). Their settings live
 * in the settings file; list and show add what the warehouse holds for each, so a practice that sends files but
 * has no settings (or the reverse) stands out.
 */
export async function practiceCommand(argv: string[]): Promise<number> {
  // One parser for every action, so an unknown option is refused the same way whichever action it follows.
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...warehouseOption,
      name: { type: 'string' },
      timezone: { type: 'string' },
      'rejection-sla': { type: 'string' },
      'small-cell': { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  const [action, ...ids] = positionals;
  if (action === 'list' && ids.length > 0) throw new UsageError('list takes no practice id');
  if ((action === 'add' || action === 'show') && ids.length !== 1) {
    throw new UsageError(`one practice id: rcm practice ${action} ID`);
  }
  const id = ids[0] as string;
  switch (action) {
    case 'add':
      return add(id, values);
    case 'list':
      return list(values);
    case 'show':
      return show(id, values);
    default:
      throw new UsageError(
        action ? `no practice action '${action}' (add, list or show)` : 'add, list or show?',
      );
  }
}

interface PracticeOptions {
  warehouse?: string | undefined;
  name?: string | undefined;
  timezone?: string | undefined;
  'rejection-sla'?: string | undefined;
  'small-cell'?: string | undefined;
  json?: boolean | undefined;
}

async function add(id: string, values: PracticeOptions): Promise<number> {
  if (!values.name) throw new UsageError('--name is required (the name the reports show)');
  const practice: Partial<PracticeSettings> & { id: string; name: string } = { id, name: values.name };
  if (values.timezone) practice.timezone = values.timezone;
  if (values['rejection-sla'])
    practice.rejection_sla_business_days = whole('--rejection-sla', values['rejection-sla']);
  if (values['small-cell']) practice.small_cell_min_claims = whole('--small-cell', values['small-cell']);
  const file = settingsPath();
  addPractice(file, practice);
  process.stdout.write(`added ${id} (${values.name}) to ${file}\n`);
  const { inbox } = loadSettings().settings;
  if (inbox) {
    const folder = path.join(inbox, id);
    mkdirSync(folder, { recursive: true });
    process.stdout.write(`its files go in ${folder}/ (PM exports, 835s, 277CA, 999, rejection reports)\n`);
  } else {
    process.stdout.write(`its files go in INBOX/${id}/ (PM exports, 835s, 277CA, 999, rejection reports)\n`);
  }
  return EXIT.ok;
}

async function list(values: PracticeOptions): Promise<number> {
  const { file, settings } = loadSettings();
  const data = await warehouseData(resolveWarehouse(values).database);
  const ids = [
    ...new Set([...settings.practices.map((p) => p.id), ...data.map((d) => d.practice_id)]),
  ].sort();
  const rows = ids.map((id) => {
    const configured = settings.practices.find((p) => p.id === id);
    const files = data.find((d) => d.practice_id === id)?.files ?? [];
    return {
      practice_id: id,
      name: configured?.name ?? null,
      in_settings: configured !== undefined,
      files_loaded: files.reduce((sum, f) => sum + Number(f.files), 0),
      newest_loaded_on:
        files
          .map((f) => String(f.newest_loaded_on))
          .sort()
          .at(-1) ?? null,
    };
  });
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ settings: file, practices: rows }, null, 2)}\n`);
    return EXIT.ok;
  }
  process.stdout.write(`settings: ${file ?? 'none (every practice at its defaults)'}\n`);
  if (rows.length === 0) {
    process.stdout.write('no practices yet: rcm practice add ID --name NAME\n');
    return EXIT.ok;
  }
  for (const row of rows) {
    const name = row.name ?? '(not in the settings file: defaults apply)';
    const files = row.files_loaded
      ? `${row.files_loaded} files, newest loaded ${row.newest_loaded_on}`
      : 'no files loaded';
    process.stdout.write(`  ${row.practice_id}  ${name}  ${files}\n`);
  }
  return EXIT.ok;
}

async function show(id: string, values: PracticeOptions): Promise<number> {
  const { settings } = loadSettings();
  const configured = settings.practices.find((p) => p.id === id) ?? null;
  const files =
    (await warehouseData(resolveWarehouse(values).database)).find((d) => d.practice_id === id)?.files ?? [];
  if (!configured && files.length === 0) {
    process.stderr.write(`no practice '${id}' in the settings or the warehouse (rcm practice list)\n`);
    return EXIT.error;
  }
  if (values.json) {
    process.stdout.write(`${JSON.stringify({ practice_id: id, settings: configured, files }, null, 2)}\n`);
    return EXIT.ok;
  }
  const lines = [
    `practice ${id}${configured ? `: ${configured.name}` : ' (not in the settings file: defaults apply)'}`,
  ];
  if (configured) {
    lines.push(
      `  time zone                 ${configured.timezone}`,
      `  rejection SLA             ${configured.rejection_sla_business_days ?? 'default (2)'} business days`,
      `  small-cell threshold      ${configured.small_cell_min_claims ?? 'default (11)'} claims`,
      `  KPI targets set here      ${
        Object.entries(configured.kpi_targets)
          .map(([k, t]) => `${k} ${t.target}`)
          .join(', ') || 'none (seed defaults)'
      }`,
      `  billing vendor changes    ${configured.billing_vendor_changes.map((c) => `${c.date} ${c.vendor}`).join(', ') || 'none'}`,
      `  timely filing overrides   ${
        Object.entries(configured.timely_filing_days)
          .map(([p, d]) => `${p} ${d} days`)
          .join(', ') || 'none'
      }`,
    );
  }
  lines.push('  files loaded:');
  if (files.length === 0) lines.push('    none');
  for (const f of files)
    lines.push(
      `    ${String(f.file_kind).padEnd(26)} ${f.files} files, newest ${f.newest_file} (loaded ${f.newest_loaded_on})`,
    );
  process.stdout.write(`${lines.join('\n')}\n`);
  return EXIT.ok;
}

/** Loaded files per practice and kind; nothing when there is no warehouse yet. */
async function warehouseData(database: string): Promise<PracticeData[]> {
  if (!existsSync(database)) return [];
  const warehouse = await openWarehouseReadOnly(database);
  try {
    const rows = (
      await warehouse.connection.runAndReadAll(
        `select practice_id, file_kind, count(*)::integer as files,
                arg_max(original_name, file_id) as newest_file,
                strftime(max(loaded_at), '%Y-%m-%d') as newest_loaded_on
           from raw.files where status = 'loaded'
          group by practice_id, file_kind order by practice_id, file_kind`,
      )
    ).getRowObjectsJson() as Row[];
    const byPractice = new Map<string, Row[]>();
    for (const row of rows) {
      const id = String(row.practice_id);
      byPractice.set(id, [...(byPractice.get(id) ?? []), row]);
    }
    return [...byPractice].map(([practice_id, files]) => ({ practice_id, files }));
  } finally {
    warehouse.close();
  }
}

function whole(option: string, text: string): number {
  if (!/^\d+$/.test(text)) throw new UsageError(`${option} takes a whole number, got '${text}'`);
  return Number(text);
}
