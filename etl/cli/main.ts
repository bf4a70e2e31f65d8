import path from 'node:path';
import { RunLockHeldError } from '../pipeline/run-lock.ts';
import { SettingsError } from '../settings/load.ts';
import { EXIT, UsageError } from './exit-codes.ts';
import { formatHelp, help } from './help.ts';

/** A subcommand: takes its own arguments, returns the process exit code. Small functions the scheduler can call. */
export type Command = (argv: string[]) => Promise<number>;

/**
 * Each command's module is imported when the command runs: `rcm load` need not load what the reports and exports
 * use (playwright-core, exceljs), about a second of every command's start-up.
 */
const commands: Record<string, () => Promise<Command>> = {
  run: async () => (await import('./commands/run.ts')).runCommand,
  schedule: async () => (await import('./commands/schedule.ts')).scheduleCommand,
  status: async () => (await import('./commands/status.ts')).statusCommand,
  export: async () => (await import('./commands/export.ts')).exportCommand,
  load: async () => (await import('./commands/load.ts')).loadCommand,
  transform: async () => (await import('./commands/transform.ts')).transformCommand,
  reports: async () => (await import('./commands/reports.ts')).reportsCommand,
  serve: async () => (await import('./commands/serve.ts')).serveCommand,
  pack: async () => (await import('./commands/pack.ts')).packCommand,
  demo: async () => (await import('./commands/demo.ts')).demoCommand,
  init: async () => (await import('./commands/init.ts')).initCommand,
  inspect: async () => (await import('./commands/inspect.ts')).inspectCommand,
  generate: async () => (await import('./commands/generate.ts')).generateCommand,
  recover: async () => (await import('./commands/recover.ts')).recoverCommand,
  backup: async () => (await import('./commands/backup.ts')).backupCommand,
  restore: async () => (await import('./commands/backup.ts')).restoreCommand,
  'forget-patient': async () => (await import('./commands/forget-patient.ts')).forgetPatientCommand,
  practice: async () => (await import('./commands/practice.ts')).practiceCommand,
  'export-raw': async () => (await import('./commands/engine-handoff.ts')).exportRawCommand,
  'link-marts': async () => (await import('./commands/engine-handoff.ts')).linkMartsCommand,
};

export async function main(argv: string[]): Promise<number> {
  // The warehouse, archive, quarantine, backups and logs hold patient data: everything rcm and its children
  // (dbt, Evidence) create is readable by its owner alone (docs/security.md).
  process.umask(0o077);
  const [name, ...rest] = takeConfigOption(argv);
  if (!name || name === '--help' || name === '-h') {
    process.stdout.write(usage());
    return name ? EXIT.ok : EXIT.usage;
  }
  if (name === 'help') {
    const [topic] = rest;
    if (topic === undefined) {
      process.stdout.write(usage());
      return EXIT.ok;
    }
    const entry = help[topic];
    if (!entry) {
      process.stderr.write(`rcm: no command '${topic}'\n\n${usage()}`);
      return EXIT.usage;
    }
    process.stdout.write(formatHelp(topic, entry));
    return EXIT.ok;
  }
  const command = commands[name];
  const entry = help[name];
  if (!command || !entry) {
    process.stderr.write(`rcm: unknown command '${name}'\n\n${usage()}`);
    return EXIT.usage;
  }
  // Help wins over everything else on the line, but not after `--` (arguments for dbt).
  const own = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (own.includes('--help') || own.includes('-h')) {
    process.stdout.write(formatHelp(name, entry));
    return EXIT.ok;
  }
  try {
    return await (await command())(rest);
  } catch (error) {
    process.stderr.write(`rcm ${name}: ${(error as Error).message}\n`);
    if (error instanceof RunLockHeldError) return EXIT.lockHeld;
    if (error instanceof SettingsError) return EXIT.badSettings;
    if (error instanceof UsageError || isParseArgsError(error)) {
      process.stderr.write(`usage: ${entry.usage}\n(rcm ${name} --help for more)\n`);
      return EXIT.usage;
    }
    return EXIT.error;
  }
}

/**
 * `--config FILE` works with every command, anywhere before `--`: it names the settings file for this process and
 * the dbt and Evidence processes it starts (RCM_CONFIG).
 */
function takeConfigOption(argv: string[]): string[] {
  const end = argv.includes('--') ? argv.indexOf('--') : argv.length;
  const at = argv.slice(0, end).findIndex((arg) => arg === '--config' || arg.startsWith('--config='));
  if (at === -1) return argv;
  const arg = argv[at] as string;
  const value = arg.includes('=') ? arg.slice('--config='.length) : argv[at + 1];
  if (!value || value.startsWith('-')) return argv; // the command's own parser reports the missing value
  process.env.RCM_CONFIG = path.resolve(value);
  return [...argv.slice(0, at), ...argv.slice(at + (arg.includes('=') ? 1 : 2))];
}

/** node:util parseArgs refuses unknown options and missing values with these codes. */
function isParseArgsError(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code ?? '';
  return code.startsWith('ERR_PARSE_ARGS_');
}

function usage(): string {
  const width = Math.max(...Object.keys(help).map((name) => name.length));
  const lines = Object.entries(help).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return (
    `usage: rcm <command> [options]\n\ncommands:\n${lines.join('\n')}\n\n` +
    'rcm <command> --help (or rcm help <command>) shows its options and an example.\n' +
    'Warehouse: warehouse/rcm.duckdb, or --warehouse FILE, or RCM_WAREHOUSE, or `warehouse:` in the settings.\n' +
    'Settings: rcm.config.yaml in the current folder, or --config FILE, or RCM_CONFIG (docs/usage.md).\n'
  );
}
