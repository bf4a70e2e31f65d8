import { loadMemoryLimit } from '../../config.ts';
import { recoverWarehouse } from '../../load/recover.ts';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { summarise } from './load.ts';

/**
 * `rcm recover`: after a crash left a write-ahead log DuckDB cannot replay, set it aside, open the warehouse at
 * its last checkpoint and re-load from the archive what the registry lacks (docs/reliability.md).
 */
export async function recoverCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: warehouseOption });
  const paths = resolveWarehouse(values);
  const report = await withRunLock(paths.database, () =>
    recoverWarehouse(paths, { memoryLimit: loadMemoryLimit() }),
  );
  const lines = [
    report.walSetAside === null
      ? `the warehouse ${paths.database} opens as it is; no write-ahead log was set aside`
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
  process.stdout.write(`${lines.join('\n')}\n`);
  return report.reloaded.every((o) => o.status !== 'quarantined') ? 0 : 1;
}
