import { statSync } from 'node:fs';
import { loadMemoryLimit, type WarehousePaths, withMemoryHint } from '../../config.ts';
import {
  type InboxFile,
  type InboxOptions,
  type InboxOutcome,
  listInbox,
  loadInboxFiles,
} from '../../load/inbox.ts';
import { openWarehouse } from '../../warehouse/connection.ts';
import { practiceIdSchema } from '../../warehouse/load-file.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { loadProgress } from '../progress.ts';
import { countLoad, runLogged, step } from '../run-logged.ts';

/**
 * `rcm load DIR` loads an inbox laid out as DIR/<practice_id>/…;
 * `rcm load --practice P001 [--profile ledger/charges] FILE…` loads single files for one practice, CSV files
 * with the named mapping profile when one is given.
 * Exit code 0 when every file loaded or was already loaded, 3 when any was quarantined or could not be read.
 */
export async function loadCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...warehouseOption,
      practice: { type: 'string' },
      profile: { type: 'string' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length === 0) {
    throw new UsageError('name an inbox folder, or --practice ID and files');
  }
  if (values.profile && !values.practice) {
    throw new UsageError(
      '--profile names the mapping profile of single files: use it with --practice ID FILE...',
    );
  }
  const files: InboxFile[] = values.practice
    ? positionals.map((filePath) => ({ filePath, practiceId: practiceIdSchema.parse(values.practice) }))
    : positionals.flatMap((dir) => {
        if (!statSync(dir).isDirectory())
          throw new UsageError(`${dir} is not a folder; use --practice ID for single files`);
        return listInbox(dir);
      });
  const paths = resolveWarehouse(values);
  return runLogged(paths.database, 'load', async (run) => {
    const outcomes = await step(run, 'load', () => loadFiles(paths, files, { profile: values.profile }));
    countLoad(run, outcomes);
    if (values.json) process.stdout.write(`${JSON.stringify(outcomes, jsonBigInt, 2)}\n`);
    else process.stdout.write(summarise(outcomes));
    return run.filesQuarantined === 0 ? EXIT.ok : EXIT.quarantined;
  });
}

/**
 * Write-ahead log a load lets grow before DuckDB checkpoints it into the file. At DuckDB's default (16 MiB) a
 * checkpoint came every few batches and rewrote the tables' part-filled row groups each time: the demo inbox's
 * commits took 16 s, 3.5 s with this threshold (measured on a busy machine; the checkpoint then comes at close). Commits stay durable in
 * the log either way.
 */
const LOAD_CHECKPOINT_THRESHOLD = '256MB';

/** Opens the warehouse, loads the files and closes it again; the caller holds the run lock. */
export async function loadFiles(
  paths: WarehousePaths,
  files: InboxFile[],
  options: InboxOptions = {},
): Promise<InboxOutcome[]> {
  const memoryLimit = loadMemoryLimit();
  const warehouse = await openWarehouse(paths.database, {
    memoryLimit,
    checkpointThreshold: LOAD_CHECKPOINT_THRESHOLD,
  });
  const progress = loadProgress();
  try {
    return await loadInboxFiles(warehouse.connection, paths, files, {
      onFileDone: progress.onFileDone,
      ...options,
    });
  } catch (error) {
    throw withMemoryHint(error, memoryLimit);
  } finally {
    progress.finish();
    warehouse.close();
  }
}

const ROW_WARNINGS = new Set(['skipped_rows', 'filtered_rows', 'row_totals', 'empty_period']);

export function summarise(outcomes: InboxOutcome[]): string {
  const count = (status: string) => outcomes.filter((o) => o.status === status).length;
  const unreadable = count('unreadable');
  const lines = [
    `loaded ${count('loaded')}, already loaded ${count('skipped')}, quarantined ${count('quarantined')}${
      unreadable > 0 ? `, unreadable ${unreadable}` : ''
    }`,
  ];
  for (const o of outcomes) {
    if (o.status === 'quarantined') lines.push(`  quarantined ${o.filePath}: ${o.location}: ${o.message}`);
    if (o.status === 'unreadable') lines.push(`  unreadable ${o.filePath}: ${o.message}`);
    // Rows a file did not store, by reason, and its totals before and after filtering.
    for (const w of o.status === 'loaded' ? o.warnings : []) {
      if (ROW_WARNINGS.has(w.code)) lines.push(`  ${o.filePath}: ${w.message}`);
    }
  }
  return `${lines.join('\n')}\n`;
}

function jsonBigInt(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value;
}
