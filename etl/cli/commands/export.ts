import { existsSync } from 'node:fs';
import path from 'node:path';
import { ExportError, namedQueries, resolveExport } from '../../export/source.ts';
import { type ExportFormat, FORMATS, writeExport } from '../../export/writers.ts';
import { openWarehouseReadOnly } from '../../warehouse/connection.ts';
import { EXIT, UsageError } from '../exit-codes.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';

/**
 * `rcm export MART|query:NAME`: a mart (or a named query over the marts) to CSV, Parquet, Arrow IPC or XLSX,
 * filtered by practice and period. Reads the warehouse read-only; the file appears whole or not at all.
 */
export async function exportCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      ...warehouseOption,
      format: { type: 'string' },
      out: { type: 'string' },
      practice: { type: 'string', multiple: true },
      from: { type: 'string' },
      to: { type: 'string' },
      'period-column': { type: 'string' },
      list: { type: 'boolean' },
    },
  });
  if (values.list) {
    process.stdout.write(
      `named queries (rcm export query:NAME):\n${namedQueries()
        .map((q) => `  ${q.name.padEnd(24)} ${q.description}`)
        .join('\n')}\nmarts: every table of the marts schema (docs/models.md)\n`,
    );
    return EXIT.ok;
  }
  const [target, ...extra] = positionals;
  if (!target || extra.length > 0) throw new UsageError('one mart or query:NAME to export');
  const format = (values.format ?? formatFromName(values.out) ?? 'csv') as ExportFormat;
  if (!FORMATS.includes(format))
    throw new UsageError(`--format is one of ${FORMATS.join(', ')}, got '${format}'`);
  const out = path.resolve(values.out ?? `${target.replace(/^query:/, '')}.${format}`);
  if (!existsSync(path.dirname(out))) throw new UsageError(`the folder ${path.dirname(out)} does not exist`);
  const { database } = resolveWarehouse(values);
  if (!existsSync(database)) {
    process.stderr.write(`no warehouse at ${database} yet: \`rcm run INBOX\` creates it\n`);
    return EXIT.error;
  }
  const warehouse = await openWarehouseReadOnly(database);
  try {
    const source = await resolveExport(warehouse.connection, {
      target,
      practices: values.practice ?? [],
      from: values.from,
      to: values.to,
      periodColumn: values['period-column'],
    });
    const rows = await writeExport(warehouse.connection, source, format, out);
    const period = source.periodColumn ? ` (period on ${source.periodColumn})` : '';
    process.stdout.write(`${rows} rows of ${target} written to ${out}${period}\n`);
    return EXIT.ok;
  } catch (error) {
    if (error instanceof ExportError) throw new UsageError(error.message);
    throw error;
  } finally {
    warehouse.close();
  }
}

function formatFromName(file: string | undefined): ExportFormat | undefined {
  const extension = file ? path.extname(file).slice(1).toLowerCase() : '';
  if (extension === 'arrow' || extension === 'feather' || extension === 'ipc') return 'arrow';
  return (FORMATS as readonly string[]).includes(extension) ? (extension as ExportFormat) : undefined;
}
