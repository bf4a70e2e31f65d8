import { loadMemoryLimit, withMemoryHint } from '../../config.ts';
import { type RecoveryReport, recoverWarehouse } from '../../load/recover.ts';
import { EXIT } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { countLoad, runLogged, step } from '../run-logged.ts';
import { summarise } from './load.ts';

/**
 * `rcm recover`: after a crash left a write-ahead log DuckDB cannot replay, set it aside, open the warehouse at
 * its last checkpoint and re-load from the archive what the registry lacks (docs/reliability.md).
 */
export async function recoverCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  // The warehouse may not open before recovery: its run-log row is written once, at the end.
  return runLogged(
    paths.database,
    'recover',
    async (run) => {
      const memoryLimit = loadMemoryLimit();
      const report = await step(run, 'load', () =>
        recoverWarehouse(paths, { memoryLimit }).catch((error: unknown) => {
          throw withMemoryHint(error, memoryLimit);
        }),
      );
      countLoad(run, report.reloaded);
      process.stdout.write(describe(paths.database, report));
      return run.filesQuarantined === 0 ? EXIT.ok : EXIT.quarantined;
    },
    { startRow: false },
  );
}

function describe(database: string, report: RecoveryReport): string {
  const lines = [
    report.walSetAside === null
      ? `the warehouse ${database} opens as it is; no write-ahead log was set aside`
      : `the write-ahead log DuckDB could not replay was moved to ${report.walSetAside}; the warehouse opens at its last checkpoint`,
    `re-loaded from the archive and quarantine: ${summarise(report.reloaded).trimEnd()}`,
  ];
  if (report.unrecorded.length > 0) {
    lines.push(
      `${report.unrecorded.length} kept copies carry no load record (kept before records were written); ` +
        'load their inbox again with `rcm load` (already loaded files are skipped):',
      ...report.unrecorded.slice(0, 20).map((dir) => `  ${dir}`),
    );
  }
  lines.push('next: `rcm transform` and `rcm reports` rebuild the models and the reports');
  return `${lines.join('\n')}\n`;
}
