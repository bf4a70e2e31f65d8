import { backupCommand, restoreCommand } from './commands/backup.ts';
import { demoCommand } from './commands/demo.ts';
import { forgetPatientCommand } from './commands/forget-patient.ts';
import { generateCommand } from './commands/generate.ts';
import { initCommand } from './commands/init.ts';
import { inspectCommand } from './commands/inspect.ts';
import { loadCommand } from './commands/load.ts';
import { recoverCommand } from './commands/recover.ts';
import { reportsCommand } from './commands/reports.ts';
import { serveCommand } from './commands/serve.ts';
import { transformCommand } from './commands/transform.ts';

/** A subcommand: takes its own arguments, returns the process exit code. Small functions the scheduler can call. */
export type Command = (argv: string[]) => Promise<number>;

const commands: Record<string, { run: Command; summary: string }> = {
  backup: { run: backupCommand, summary: 'a checked, consistent copy of the warehouse (--to DIR)' },
  demo: {
    run: demoCommand,
    summary: 'fresh warehouse from the bundled sample data: load, dbt build, reports',
  },
  'forget-patient': {
    run: forgetPatientCommand,
    summary: "delete one patient's data across raw, archive and marts, and prove it",
  },
  generate: { run: generateCommand, summary: 'write a synthetic practice inbox (seeded, deterministic)' },
  init: { run: initCommand, summary: 'create or upgrade the warehouse file' },
  inspect: { run: inspectCommand, summary: 'check one X12 file (835, 277CA, 999) without loading it' },
  load: {
    run: loadCommand,
    summary: 'load an inbox folder (<dir>/<practice_id>/...) or files for one practice',
  },
  recover: {
    run: recoverCommand,
    summary: 'after a crash: set aside a log DuckDB cannot replay, re-load what the registry lacks',
  },
  restore: {
    run: restoreCommand,
    summary: "put a backup in the warehouse's place (the replaced file is kept)",
  },
  transform: { run: transformCommand, summary: 'run dbt (default: dbt build) against the warehouse' },
  reports: { run: reportsCommand, summary: 'build the Evidence report site from the marts' },
  serve: { run: serveCommand, summary: 'serve the built report site on 127.0.0.1' },
};

export async function main(argv: string[]): Promise<number> {
  // The warehouse, archive, quarantine, backups and logs hold patient data: everything rcm and its children
  // (dbt, Evidence) create is readable by its owner alone (docs/security.md).
  process.umask(0o077);
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    process.stdout.write(usage());
    return name ? 0 : 2;
  }
  const command = commands[name];
  if (!command) {
    process.stderr.write(`rcm: unknown command '${name}'\n\n${usage()}`);
    return 2;
  }
  try {
    return await command.run(rest);
  } catch (error) {
    process.stderr.write(`rcm ${name}: ${(error as Error).message}\n`);
    return 1;
  }
}

function usage(): string {
  const width = Math.max(...Object.keys(commands).map((name) => name.length));
  const lines = Object.entries(commands).map(([name, { summary }]) => `  ${name.padEnd(width)}  ${summary}`);
  return `usage: rcm <command> [options]\n\ncommands:\n${lines.join('\n')}\n\nWarehouse: warehouse/rcm.duckdb, or --warehouse FILE, or RCM_WAREHOUSE.\n`;
}
