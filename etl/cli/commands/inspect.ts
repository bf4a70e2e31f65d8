import { inspectFile } from '../../x12/inspect.ts';
import { parseArgs } from '../options.ts';

/**
 * `rcm inspect FILE [--json]`: parses and validates one X12 file (835, 837P, 277CA, 999) without loading it.
 * Exit code 0 when it parsed, even with warnings or imbalances; 1 when it could not be parsed.
 */
export async function inspectCommand(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  const [filePath] = positionals;
  if (!filePath || positionals.length > 1) throw new Error('usage: rcm inspect FILE [--json]');
  const result = await inspectFile(filePath);
  if (values.json) {
    process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
  } else {
    const lines = [`${filePath}: ${result.type ?? 'not X12'} ${result.version ?? ''}`.trimEnd()];
    lines.push(`  interchanges ${result.interchanges}, transaction sets ${result.transactions}`);
    if (result.total_paid !== undefined) {
      lines.push(`  claims ${result.claims}, service lines ${result.service_lines}`);
      lines.push(
        `  paid ${result.total_paid} (BPR02), claims ${result.claims_paid} (CLP04), PLB ${result.plb_total}`,
      );
      lines.push(
        `  ${result.balanced ? 'balanced' : `NOT balanced: ${result.imbalances?.length} imbalances`}`,
      );
      for (const i of result.imbalances ?? []) {
        lines.push(`    ${i.level} at ${i.location}: ${i.rule}: stated ${i.stated}, computed ${i.computed}`);
      }
    } else if (result.total_charge !== undefined) {
      lines.push(
        `  claims ${result.claims}, service lines ${result.service_lines}, charges ${result.total_charge}`,
      );
    } else if (result.transaction_sets !== undefined) {
      lines.push(
        `  transaction sets ${result.transaction_sets}: accepted ${result.accepted}, rejected ${result.rejected}`,
      );
    } else if (result.accepted !== undefined) {
      lines.push(`  claims ${result.claims}: accepted ${result.accepted}, rejected ${result.rejected}`);
    }
    for (const w of result.warnings) lines.push(`  warning ${w.location}: ${w.message}`);
    for (const e of result.errors) lines.push(`  error ${e.location}: ${e.message}`);
    process.stdout.write(`${lines.join('\n')}\n`);
  }
  if (result.errors.length > 0) {
    const first = result.errors[0];
    process.stderr.write(
      `rcm inspect: ${filePath} could not be parsed: ${first?.location}: ${first?.message}\n`,
    );
    return 1;
  }
  return 0;
}
