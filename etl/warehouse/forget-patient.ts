import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { WarehousePaths } from '../config.ts';
import { isLoadRecordFile } from './load-file.ts';
import { rollbackIfOpen } from './transaction.ts';

/**
 * Deleting one patient's data on request (docs/security.md): every raw row about the patient — their PM rows, the
 * claims billed for them and everything the 835s and 277CAs said about those claims — is deleted in one
 * transaction, and every kept copy of a file (archive and quarantine) that names them has those identifiers
 * overwritten. The marts are rebuilt from raw by the caller (`rcm transform`), and `proveForgotten` searches raw,
 * the kept copies and the marts for what identified the patient.
 */

export interface PatientIdentifiers {
  practiceId: string;
  patientId: string;
  /** Claim ids billed for the patient (CLP01 in 835s, TRN02 in 277CAs). */
  claimIds: string[];
  /** Member ids: with the account number and claim ids, the values no other patient shares. */
  memberIds: string[];
  /** First and last names, as the PM exported them. */
  names: Array<{ first: string; last: string }>;
  /** Phone numbers, addresses and dates of birth: shared by other patients now and then, so only overwritten
   * where the patient's own lines and loops hold them. */
  personal: string[];
}

export interface ForgetReport {
  identifiers: PatientIdentifiers;
  /** Rows deleted per raw table. */
  deleted: Record<string, number>;
  /** Kept copies whose identifiers were overwritten. */
  redactedFiles: string[];
}

/** DuckDB refuses named parameters a statement does not use: pass only the ones it names. */
const used = (sql: string, params: Record<string, string>) =>
  Object.fromEntries(Object.entries(params).filter(([name]) => new RegExp(`\\$${name}\\b`).test(sql)));

const query = async (connection: DuckDBConnection, sql: string, params: Record<string, string> = {}) =>
  (await connection.runAndReadAll(sql, used(sql, params))).getRows();

/** What identifies the patient: their account number, their claims and the PM's identifying fields. */
export async function patientIdentifiers(
  connection: DuckDBConnection,
  practiceId: string,
  patientId: string,
): Promise<PatientIdentifiers> {
  const params = { practice: practiceId, patient: patientId };
  const text = (rows: unknown[][]) =>
    [
      ...new Set(
        rows.map(([v]) => v).filter((v): v is string => typeof v === 'string' && v.trim().length >= 3),
      ),
    ].sort();
  const claimIds = text(
    await query(
      connection,
      `select claim_id from raw.pm_charges where practice_id = $practice and patient_id = $patient
       union select claim_id from raw.pm_appointments where practice_id = $practice and patient_id = $patient
       union select claim_id from raw.pm_payments where practice_id = $practice and patient_id = $patient
       union select claim_id from raw.clearinghouse_rejections where practice_id = $practice and patient_id = $patient`,
      params,
    ),
  );
  const patients = `from raw.pm_patients where practice_id = $practice and patient_id = $patient`;
  const memberIds = text(await query(connection, `select member_id ${patients}`, params));
  const names = (await query(connection, `select distinct first_name, last_name ${patients}`, params))
    .filter(([first, last]) => typeof first === 'string' && typeof last === 'string')
    .map(([first, last]) => ({ first: String(first), last: String(last) }));
  const personal = text(
    await query(
      connection,
      `select unnest([first_name, last_name, phone, address_line_1, strftime(date_of_birth, '%Y-%m-%d'),
                      strftime(date_of_birth, '%m/%d/%Y'), strftime(date_of_birth, '%Y%m%d')]) ${patients}`,
      params,
    ),
  );
  return { practiceId, patientId, claimIds, memberIds, names, personal };
}

/** Deletes every raw row about the patient, in one transaction, and overwrites them in the kept copies. */
export async function forgetPatient(
  connection: DuckDBConnection,
  practiceId: string,
  patientId: string,
): Promise<ForgetReport> {
  const identifiers = await patientIdentifiers(connection, practiceId, patientId);
  if (identifiers.claimIds.length === 0 && identifiers.names.length === 0) {
    throw new Error(`practice ${practiceId} has no patient ${patientId} in the warehouse`);
  }
  const claims = `(select unnest($claims::varchar[]))`;
  const params = {
    practice: practiceId,
    patient: patientId,
    claims: `[${identifiers.claimIds.map((c) => JSON.stringify(c)).join(',')}]`,
  };
  // The 835 claims (reversals share CLP01) and the 277CA patient loops of those claims, by their segments.
  const eraClaims = `(select file_id, segment_no from raw.era_claims
                       where practice_id = $practice and patient_control_number in ${claims})`;
  const ackLoops = `(select distinct file_id, hl_id from raw.ack_277_statuses
                      where practice_id = $practice and trace_number in ${claims})`;
  const deletions: Array<[string, string]> = [
    ['pm_patients', 'patient_id = $patient'],
    ['pm_appointments', 'patient_id = $patient'],
    ['pm_charges', `patient_id = $patient or claim_id in ${claims}`],
    ['pm_payments', `patient_id = $patient or claim_id in ${claims}`],
    ['pm_adjustments', `claim_id in ${claims}`],
    ['clearinghouse_rejections', `patient_id = $patient or claim_id in ${claims}`],
    ...(
      [
        'era_service_lines',
        'era_adjustments',
        'era_remarks',
        'era_claim_entities',
        'era_references',
        'era_amounts',
        'era_quantities',
        'era_dates',
        'era_imbalances',
      ] as const
    ).map((table): [string, string] => [table, `(file_id, claim_segment_no) in ${eraClaims}`]),
    ['era_claims', `(file_id, segment_no) in ${eraClaims}`],
    ['ack_277_statuses', `(file_id, hl_id) in ${ackLoops} or (file_id, parent_hl_id) in ${ackLoops}`],
  ];
  const files = (
    await query(
      connection,
      `select distinct f.stored_path from raw.files f where f.practice_id = $practice`,
      { practice: practiceId },
    )
  ).map(([p]) => String(p));
  const deleted: Record<string, number> = {};
  await connection.run('begin transaction');
  try {
    for (const [table, condition] of deletions) {
      const [[count]] = (await query(
        connection,
        `select count(*) from raw.${table} where practice_id = $practice and (${condition})`,
        params,
      )) as [[bigint]];
      if (count === 0n) continue;
      const statement = `delete from raw.${table} where practice_id = $practice and (${condition})`;
      await connection.run(statement, used(statement, params));
      deleted[table] = Number(count);
    }
    await connection.run('commit');
  } catch (error) {
    await rollbackIfOpen(connection);
    throw error;
  }
  const redactedFiles = redactKeptCopies(files, identifiers);
  return { identifiers, deleted, redactedFiles };
}

/** The values no other patient shares: found anywhere, they are the patient's. */
function uniqueIds(identifiers: PatientIdentifiers): string[] {
  return [identifiers.patientId, ...identifiers.claimIds, ...identifiers.memberIds];
}

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** A case-insensitive whole-token matcher for the values, longest first (a full name before its parts). */
function tokenPattern(values: string[], flags: string): RegExp {
  const sorted = [...new Set(values)].filter((v) => v.trim().length >= 3).sort((a, b) => b.length - a.length);
  return new RegExp(`(?<![A-Za-z0-9])(?:${sorted.map(escapeRegExp).join('|')})(?![A-Za-z0-9])`, flags);
}

/**
 * The parts of a kept file that are about one claim or patient: X12 loops (from an HL or CLP segment to the next
 * HL, CLP, LX, PLB, SE, GE or IEA) or CSV lines. A part is the patient's when it holds one of their unique ids;
 * in it every identifying value is overwritten; elsewhere only the unique ids are (a PLB can name a claim).
 */
function fileParts(text: string): string[] {
  if (text.startsWith('ISA') && text.length > 106) {
    const terminator = text[105] as string;
    const element = text[3] as string;
    const segments = text.split(terminator);
    const parts: string[] = [];
    let current: string[] = [];
    for (const [i, segment] of segments.entries()) {
      const id = segment.trim().split(element)[0];
      if (['HL', 'CLP', 'LX', 'PLB', 'SE', 'GE', 'IEA'].includes(id ?? '') && current.length > 0) {
        parts.push(current.join(terminator) + terminator);
        current = [];
      }
      current.push(segment);
      if (i === segments.length - 1) parts.push(current.join(terminator));
    }
    return parts;
  }
  return text.split(/(?<=\n)/);
}

export function redactText(text: string, identifiers: PatientIdentifiers): string {
  const unique = tokenPattern(uniqueIds(identifiers), 'i');
  const uniqueAll = tokenPattern(uniqueIds(identifiers), 'gi');
  const everything = tokenPattern(
    [
      ...uniqueIds(identifiers),
      ...identifiers.personal,
      ...identifiers.names.map((n) => `${n.first} ${n.last}`),
    ],
    'gi',
  );
  const mask = (match: string) => 'X'.repeat(match.length);
  return fileParts(text)
    .map((part) => (unique.test(part) ? part.replace(everything, mask) : part.replace(uniqueAll, mask)))
    .join('');
}

/**
 * Overwrites the patient's identifiers in the practice's archived and quarantined copies with X's of the same
 * length, so every other byte keeps its place (line and segment numbers in the registry stay true). The copy's
 * bytes then differ from its recorded SHA-256, which is kept: the original file, dropped in an inbox again, is
 * still recognised as loaded and skipped.
 */
function redactKeptCopies(storedPaths: string[], identifiers: PatientIdentifiers): string[] {
  const redacted: string[] = [];
  for (const file of new Set(storedPaths)) {
    if (!existsSync(file)) continue;
    const text = readFileSync(file).toString('latin1');
    const masked = redactText(text, identifiers);
    if (masked !== text) {
      writeFileSync(file, Buffer.from(masked, 'latin1'), { mode: 0o600 });
      redacted.push(file);
    }
  }
  return redacted.sort();
}

export interface ProofPlace {
  place: string;
  /** Rows (or kept files) holding one of the patient's unique ids, or their first and last name together. */
  hits: number;
}

/**
 * Searches for the patient: every text column of every raw table and mart of the practice, and every kept copy.
 * A row or file counts when it holds the account number, a claim id or a member id, or the patient's first and
 * last name together (either alone is shared by other patients).
 */
export async function proveForgotten(
  connection: DuckDBConnection,
  paths: WarehousePaths,
  identifiers: PatientIdentifiers,
): Promise<ProofPlace[]> {
  const sql = (v: string) => `'${v.replaceAll("'", "''").toUpperCase()}'`;
  const unique = `[${uniqueIds(identifiers).map(sql).join(', ')}]`;
  const nameChecks = identifiers.names.map(
    (n) => `(list_contains(tokens, ${sql(n.first)}) and list_contains(tokens, ${sql(n.last)}))`,
  );
  const condition = [`list_has_any(tokens, ${unique})`, ...nameChecks].join(' or ');
  const tables = await query(
    connection,
    `select table_schema, table_name, list(column_name order by column_name),
            bool_or(column_name = 'practice_id') from information_schema.columns
      where table_schema in ('raw', 'marts') and data_type = 'VARCHAR'
        and table_name not in ('files', 'file_warnings', 'schema_migrations')
      group by all order by all`,
  );
  const places: ProofPlace[] = [];
  for (const [schema, table, columns, hasPractice] of tables) {
    const names = (columns as { items: string[] }).items;
    const text = names.map((c) => `upper(coalesce("${c}", ''))`).join(` || ' ' || `);
    const practice = hasPractice ? `where practice_id = ${sql(identifiers.practiceId)}` : '';
    const [[hits]] = (await query(
      connection,
      `select count(*) from (select regexp_split_to_array(${text}, '[^A-Z0-9]+') as tokens
                             from ${schema}."${table}" ${practice}) where ${condition}`,
    )) as [[bigint]];
    places.push({ place: `${schema}.${table}`, hits: Number(hits) });
  }
  const unique_ = tokenPattern(uniqueIds(identifiers), 'i');
  const names = identifiers.names.map(
    (n) => [tokenPattern([n.first], 'i'), tokenPattern([n.last], 'i')] as const,
  );
  for (const dir of [paths.archiveDir, paths.quarantineDir]) {
    let hits = 0;
    for (const file of filesUnder(dir)) {
      const parts = fileParts(readFileSync(file).toString('latin1'));
      if (parts.some((part) => unique_.test(part) || names.some(([f, l]) => f.test(part) && l.test(part))))
        hits++;
    }
    places.push({ place: path.basename(dir), hits });
  }
  return places;
}

function filesUnder(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && !isLoadRecordFile(entry.name))
    .map((entry) => path.join(entry.parentPath, entry.name))
    .filter((file) => statSync(file).size > 0);
}
