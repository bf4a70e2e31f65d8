import path from 'node:path';
import { withRunLock } from '../../pipeline/run-lock.ts';
import { backupWarehouse, restoreWarehouse } from '../../warehouse/backup.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/** `rcm backup [--to DIR]`: a checked, consistent copy of the warehouse (docs/reliability.md). */
export async function backupCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { ...warehouseOption, to: { type: 'string' } } });
  const { database } = resolveWarehouse(values);
  const dir = values.to === undefined ? undefined : path.resolve(values.to);
  const backup = await withRunLock(database, () =>
    backupWarehouse(database, dir === undefined ? {} : { dir }),
  );
  process.stdout.write(
    `backup written and checked: ${backup.file} (${backup.fingerprint.registry.length} files, ${Object.keys(backup.fingerprint.marts).length} marts)\n` +
      'keep the archive folder in your file backups too: it holds every loaded file\n',
  );
  return 0;
}

/** `rcm restore BACKUP`: the backup takes the warehouse's place; the replaced file is kept. */
export async function restoreCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({ args: argv, allowPositionals: true, options: warehouseOption });
  const [backupFile] = positionals;
  if (backupFile === undefined || positionals.length !== 1) throw new Error('usage: rcm restore BACKUP_FILE');
  const { database } = resolveWarehouse(values);
  const restored = await withRunLock(database, () => restoreWarehouse(database, path.resolve(backupFile)));
  process.stdout.write(
    `restored ${database} from ${restored.replacedBy} and checked it (${restored.fingerprint.registry.length} files)\n` +
      (restored.keptAs === null ? '' : `the warehouse it replaced is kept as ${restored.keptAs}\n`) +
      'files loaded after the backup are still in the archive: `rcm recover` loads them again; then `rcm transform` and `rcm reports`\n',
  );
  return 0;
}
