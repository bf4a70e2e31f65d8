import { runDbt } from '../../pipeline/transform.ts';
import { openWarehouse } from '../../warehouse/connection.ts';
import { forgetPatient, type ProofPlace, proveForgotten } from '../../warehouse/forget-patient.ts';
import { practiceIdSchema } from '../../warehouse/load-file.ts';
import { parseArgs, resolveWarehouse, warehouseOption } from '../options.ts';
import { runLogged, step } from '../run-logged.ts';

/**
 * `rcm forget-patient --practice P001 --patient 12345`: deletes one patient's data on request across raw, the
 * kept copies and the marts (rebuilt by dbt), then searches all three and prints what it found (docs/security.md).
 * Exit 0 when nothing of the patient is left, 1 otherwise.
 */
export async function forgetPatientCommand(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { ...warehouseOption, practice: { type: 'string' }, patient: { type: 'string' } },
  });
  if (values.practice === undefined || values.patient === undefined) {
    throw new Error('usage: rcm forget-patient --practice ID --patient ACCOUNT_NUMBER');
  }
  const practiceId = practiceIdSchema.parse(values.practice);
  const patientId = values.patient;
  const paths = resolveWarehouse(values);
  // Logged in raw.runs like every command that changes the warehouse: when and with what outcome, never whom.
  return runLogged(paths.database, 'forget-patient', async (run) => {
    let warehouse = await openWarehouse(paths.database);
    const report = await forgetPatient(warehouse.connection, practiceId, patientId).finally(() =>
      warehouse.close(),
    );
    const deleted = Object.entries(report.deleted).map(
      ([table, rows]) => `  raw.${table}: ${rows} rows deleted`,
    );
    process.stdout.write(
      `patient ${patientId} of ${practiceId}: ${report.identifiers.claimIds.length} claims\n${deleted.join('\n')}\n` +
        `  kept copies overwritten: ${report.redactedFiles.length}\n== rebuilding the marts\n`,
    );
    if ((await step(run, 'dbt', () => runDbt(paths.database))) !== 0) {
      process.stderr.write('dbt build failed: the marts may still hold the patient; run `rcm transform`\n');
      return 1;
    }
    warehouse = await openWarehouse(paths.database);
    let proof: ProofPlace[];
    try {
      proof = await proveForgotten(warehouse.connection, paths, report.identifiers);
    } finally {
      warehouse.close();
    }
    const found = proof.filter((p) => p.hits > 0);
    process.stdout.write(
      `searched ${proof.length} places (raw tables, marts, archive, quarantine) for the account number, ` +
        `${report.identifiers.claimIds.length} claim ids, member ids and the name: ` +
        (found.length === 0
          ? 'nothing found\n'
          : `still found in ${found.map((p) => `${p.place} (${p.hits})`).join(', ')}\n`),
    );
    return found.length === 0 ? 0 : 1;
  });
}
