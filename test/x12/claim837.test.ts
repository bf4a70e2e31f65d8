import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generate, type Manifest } from '../../etl/generate/index.ts';
import { detectKind } from '../../etl/load/detect-kind.ts';
import { loadX12 } from '../../etl/load/x12-loader.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { loadFile } from '../../etl/warehouse/load-file.ts';
import type { Claim837 } from '../../etl/x12/claim837.ts';
import { inspectFile } from '../../etl/x12/inspect.ts';
import { parseX12Text } from '../../etl/x12/parse.ts';
import { DEFAULT_SEPARATORS } from '../../etl/x12/separators.ts';
import { walk } from '../generate/check.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';
import { isaSegment, type SegmentSpec, serializeSegments } from '../helpers/x12-serialize.ts';

/** One 837P interchange around `body` (the segments after ST), with true SE/GE/IEA counts. */
function interchange837(body: SegmentSpec[]): string {
  return serializeSegments(
    [
      isaSegment(DEFAULT_SEPARATORS, '000000001'),
      ['GS', 'HC', 'SENDER', 'RECEIVER', '20250110', '1200', '1', 'X', '005010X222A1'],
      ['ST', '837', '0001', '005010X222A1'],
      ...body,
      ['SE', String(body.length + 2), '0001'],
      ['GE', '1', '1'],
      ['IEA', '1', '000000001'],
    ],
    DEFAULT_SEPARATORS,
    '\n',
  );
}

const header: SegmentSpec[] = [
  ['BHT', '0019', '00', 'B1', '20250110', '1200', 'CH'],
  ['NM1', '41', '2', 'CLINIC', '', '', '', '', '46', 'S1'],
  ['NM1', '40', '2', 'CLEARINGHOUSE', '', '', '', '', '46', 'R1'],
  ['HL', '1', '', '20', '1'],
  ['NM1', '85', '2', 'CLINIC', '', '', '', '', 'XX', '1111111111'],
  ['REF', 'EI', '123456789'],
];

function parse837(body: SegmentSpec[]) {
  const claims: Claim837[] = [];
  const result = parseX12Text(interchange837(body), { claim837: (c) => claims.push(c) }, { chunkSize: 5 });
  return { claims, issues: result.issues.map((i) => [i.severity, i.code, i.segmentNo]) };
}

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');

describe('837P parser on hand-built claims', () => {
  it('reads two patients under one subscriber, a replacement, line providers, date ranges and diagnosis order', () => {
    const { claims, issues } = parse837([
      ...header,
      ['HL', '2', '1', '22', '1'],
      ['SBR', 'P', '', 'G1', '', '', '', '', '', 'BL'],
      ['NM1', 'IL', '1', 'DOE', 'JOHN', '', '', '', 'MI', 'M1'],
      ['NM1', 'PR', '2', 'BLUE PLAN', '', '', '', '', 'PI', 'BP1'],
      ['HL', '3', '2', '23', '0'],
      ['PAT', '19'],
      ['NM1', 'QC', '1', 'DOE', 'ANN'],
      ['CLM', 'A1', '150.5', '', '', ['11', 'B', '7'], 'Y', 'A', 'Y', 'Y'],
      ['REF', 'F8', 'PAYER-ICN-9'],
      ['HI', ['ABK', 'J069'], ['ABF', 'R509'], ['BG', '01']],
      ['HI', ['ABF', 'Z23']],
      ['NM1', '82', '1', 'SMITH', 'ANA', '', '', '', 'XX', '2222222222'],
      ['LX', '1'],
      ['SV1', ['HC', '99214', '25'], '120.5', 'UN', '1', '', '', ['1', '3']],
      ['DTP', '472', 'RD8', '20250102-20250103'],
      ['REF', '6R', 'A1-1'],
      ['LX', '2'],
      ['SV1', ['HC', '90471'], '30', 'UN', '2.5', '', '', ['2']],
      ['DTP', '472', 'D8', '20250102'],
      ['NM1', '82', '1', 'JONES', 'BO', '', '', '', 'XX', '3333333333'],
      ['HL', '4', '2', '23', '0'],
      ['PAT', '01'],
      ['NM1', 'QC', '1', 'DOE', 'JANE'],
      ['CLM', 'A2', '40', '', '', ['11', 'B', '1'], 'Y', 'A', 'Y', 'Y'],
      ['HI', ['ABK', 'Z0000']],
      ['LX', '1'],
      ['SV1', ['HC', '99395'], '40', 'UN', '1', '', '', ['1']],
      ['DTP', '472', 'D8', '20250104'],
    ]);
    expect(issues).toEqual([]);
    expect(
      claims.map((c) => [
        c.claimId,
        String(c.chargeCents),
        c.frequencyCode,
        c.originalReferenceNumber,
        c.payerId,
        c.memberId,
        c.patientFirstName,
        c.relationshipCode,
        c.renderingProviderNpi,
        c.billingProviderTaxId,
        c.balanced,
      ]),
    ).toEqual([
      ['A1', '15050', '7', 'PAYER-ICN-9', 'BP1', 'M1', 'ANN', '19', '2222222222', '123456789', true],
      ['A2', '4000', '1', null, 'BP1', 'M1', 'JANE', '01', null, '123456789', true],
    ]);
    const [a1] = claims as [Claim837];
    // BG (a condition code) is not a diagnosis: the second HI continues the order at 3.
    expect(a1.diagnoses.map((d) => [d.diagnosisOrder, d.qualifier, d.code])).toEqual([
      [1, 'ABK', 'J069'],
      [2, 'ABF', 'R509'],
      [3, 'ABF', 'Z23'],
    ]);
    expect(
      a1.lines.map((l) => [
        l.lineNumber,
        l.procedureCode,
        l.modifiers[0],
        String(l.chargeCents),
        l.units,
        l.diagnosisPointers,
        l.serviceFromDate,
        l.serviceToDate,
        l.lineControlNumber,
        l.renderingProviderNpi,
      ]),
    ).toEqual([
      [1, '99214', '25', '12050', '1', '1:3', '2025-01-02', '2025-01-03', 'A1-1', null],
      [2, '90471', null, '3000', '2.5', '2', '2025-01-02', '2025-01-02', null, '3333333333'],
    ]);
  });

  it('errs on a claim without lines, an LX without SV1 and a patient level without a claim; warns on CLM02 ≠ Σ SV102', () => {
    // Segment numbers: ISA 1, GS 2, ST 3, then the body from 4 (header is 6 segments: 4..9).
    const { issues } = parse837([
      ...header,
      ['HL', '2', '1', '22', '0'], // 10
      ['NM1', 'PR', '2', 'PLAN', '', '', '', '', 'PI', 'P1'], // 11
      ['CLM', 'B1', '10', '', '', ['11', 'B', '1']], // 12: no service line
      ['HL', '3', '1', '22', '0'], // 13
      ['CLM', 'B2', '25', '', '', ['11', 'B', '1']], // 14: lines add to 20
      ['LX', '1'], // 15
      ['SV1', ['HC', '99213'], '20', 'UN', '1'], // 16
      ['LX', '2'], // 17: no SV1
      ['HL', '4', '1', '22', '0'], // 18: no claim
    ]);
    expect(issues).toEqual([
      ['error', 'x12.837.no_lines', 12],
      ['error', 'x12.837.missing_sv1', 17],
      ['warning', 'x12.837.charge_mismatch', 14],
      ['error', 'x12.837.missing_claim', 18],
    ]);
  });
});

describe('837P ingest', () => {
  const wh = tempWarehouse('x12-837');
  let warehouse: Warehouse;
  let generated: string;
  let manifest: Manifest;

  const load = (file: string) =>
    loadFile(warehouse.connection, wh, { filePath: file, practiceId: 'P001', kind: '837P' }, loadX12);
  const rows = async (sql: string, params: Record<string, bigint | string> = {}) =>
    (await warehouse.connection.runAndReadAll(sql, params)).getRows();
  const counts = async () =>
    rows(`select (select count(*) from raw.claim_837_claims), (select count(*) from raw.claim_837_service_lines),
                 (select count(*) from raw.claim_837_diagnoses), (select count(*) from raw.files where status = 'loaded')`);

  beforeAll(async () => {
    warehouse = await openWarehouse(wh.database);
    generated = mkdtempSync(path.join(tmpdir(), 'rcm-837-gen-'));
    manifest = await generate({
      outDir: generated,
      practices: 1,
      providersPerPractice: 2,
      months: 2,
      visitsPerProviderDay: 3,
      seed: '837-load',
      emit837: true,
    });
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
    rmSync(generated, { recursive: true, force: true });
  });

  it('loads the TR3 example claim (demo.example1.837) as the file states it', async () => {
    const file = path.join(corpus, 'linuxforhealth/demo.example1.837');
    expect(detectKind(file)).toBe('837P');
    const outcome = await load(file);
    expect(outcome.status).toBe('loaded');
    const id = { id: outcome.fileId };
    // CLM*26463774*100.00***11:B:1 under patient HL 3 (TED SMITH), subscriber JANE SMITH, payer KEY INSURANCE.
    expect(
      await rows(
        `select patient_control_number, charge_amount::varchar, place_of_service, frequency_code, payer_name, payer_id,
                billing_provider_npi, billing_provider_tax_id, rendering_provider_npi, payer_responsibility,
                claim_filing_indicator, member_id, patient_last_name, patient_first_name, relationship_code,
                line_charge_amount::varchar, is_balanced, service_line_count, diagnosis_count, segment_no
           from raw.claim_837_claims where file_id = $id`,
        id,
      ),
    ).toEqual([
      [
        '26463774',
        '100.00',
        '11',
        '1',
        'KEY INSURANCE COMPANY',
        '999996666',
        '1912301953',
        '587654321',
        null,
        'P',
        'CI',
        'JS00111223333',
        'SMITH',
        'TED',
        '19',
        '100.00',
        true,
        4,
        2,
        27,
      ],
    ]);
    // 40 + 15 + 35 + 10 = 100.00, the CLM02.
    expect(
      await rows(
        `select line_number, procedure_code, charge_amount::varchar, units::varchar, unit_basis, diagnosis_pointers,
                service_from_date::varchar, claim_segment_no
           from raw.claim_837_service_lines where file_id = $id order by segment_no`,
        id,
      ),
    ).toEqual([
      [1, '99213', '40.00', '1.0000', 'UN', '1', '2006-10-03', 27],
      [2, '87070', '15.00', '1.0000', 'UN', '1', '2006-10-03', 27],
      [3, '99214', '35.00', '1.0000', 'UN', '2', '2006-10-10', 27],
      [4, '86663', '10.00', '1.0000', 'UN', '2', '2006-10-10', 27],
    ]);
    expect(
      await rows(
        `select diagnosis_order, qualifier, diagnosis_code from raw.claim_837_diagnoses where file_id = $id order by 1`,
        id,
      ),
    ).toEqual([
      [1, 'BK', '0340'],
      [2, 'BF', 'V7389'],
    ]);
  });

  it('keeps the claim payer and rendering provider when a COB loop (2320/2330) follows the CLM', async () => {
    const outcome = await load(path.join(corpus, 'linuxforhealth/demo.cob.example3.A.837'));
    expect(outcome.status).toBe('loaded');
    const id = { id: outcome.fileId };
    expect(
      await rows(
        `select patient_control_number, charge_amount::varchar, payer_name, member_id, rendering_provider_npi,
                subscriber_first_name, diagnosis_count, service_line_count
           from raw.claim_837_claims where file_id = $id`,
        id,
      ),
    ).toEqual([['26407789', '79.04', 'KEY INSURANCE COMPANY', '111223333', '1999996666', 'JANE', 4, 3]]);
    // 43.00 + 15.00 + 21.04 = 79.04
    expect(
      await rows(
        `select procedure_code, charge_amount::varchar, diagnosis_pointers from raw.claim_837_service_lines
          where file_id = $id order by segment_no`,
        id,
      ),
    ).toEqual([
      ['99213', '43.00', '1:2:3:4'],
      ['90782', '15.00', '1:2'],
      ['J3301', '21.04', '1:2'],
    ]);
  });

  it('quarantines the imsweb 837s, whose SE01 says 25 segments for 34, naming the SE segment', async () => {
    for (const name of ['x12_valid.txt', 'x12_multiple_isa.txt']) {
      const file = path.join(corpus, 'imsweb', name);
      const text = readFileSync(file, 'latin1');
      const before = await counts();
      const outcome = await load(file);
      expect(outcome, name).toMatchObject({
        status: 'quarantined',
        // SE is the 36th segment: ISA, GS, ST and 32 more, then SE*25.
        location: `segment 36 (byte ${text.indexOf('SE*25')})`,
        message: 'expected SE01 = 34, found SE01 "25"',
      });
      expect(await counts()).toEqual(before);
    }
  });

  it('loads every generated 837P batch to the claims, lines and charges of the generator manifest', async () => {
    const files = walk(generated).filter((f) => f.endsWith('.837'));
    expect(files.length).toBeGreaterThan(10);
    for (const file of files) expect((await load(file)).status, file).toBe('loaded');
    // Claims and Σ CLM02 from the claims table, lines and Σ SV102 from the lines table, by batch month (BHT04).
    const byMonth = await rows(
      `with claims as (
         select strftime(transaction_date, '%Y-%m') as month, count(*) as claims, sum(charge_amount) as charges
           from raw.claim_837_claims where transaction_date >= $start group by 1),
       lines as (
         select strftime(c.transaction_date, '%Y-%m') as month, count(*) as lines, sum(l.charge_amount) as charges
           from raw.claim_837_service_lines l join raw.claim_837_claims c using (file_id, claim_segment_no)
          where c.transaction_date >= $start group by 1)
       select month, claims, claims.charges::varchar, lines, lines.charges::varchar
         from claims full join lines using (month) order by month`,
      { start: manifest.period.start },
    );
    const want = manifest.totals
      .filter((t) => t.clearinghouse.submissions > 0)
      .map((t) => {
        const charges = (t.clearinghouse.submitted_charges_cents / 100).toFixed(2);
        return [t.month, t.clearinghouse.submissions, charges, t.clearinghouse.submitted_lines, charges];
      });
    expect(want.length).toBeGreaterThan(1);
    expect(byMonth.map((row) => row.map((v) => (typeof v === 'bigint' ? Number(v) : v)))).toEqual(want);
    expect(await rows(`select count(*) from raw.claim_837_claims where not is_balanced`)).toEqual([[0n]]);
  });

  it('re-loading the same 837P changes nothing', async () => {
    const file = walk(generated).find((f) => f.endsWith('.837')) as string;
    const before = await counts();
    expect((await load(file)).status).toBe('skipped');
    expect(await counts()).toEqual(before);
  });

  it('quarantines a generated 837 with a wrong SE01 count or a missing CLM, naming the segment', async () => {
    const source = readFileSync(walk(generated).find((f) => f.endsWith('.837')) as string, 'latin1');
    // One segment per line: drop the line breaks so segment i starts right after the i-th '~'.
    const segments = source.replaceAll('~\n', '~').split('~');
    const bad = (name: string, text: string) => {
      const file = path.join(wh.dir, name);
      writeFileSync(file, text, 'latin1');
      return file;
    };
    const before = await counts();

    // SE01 one more than the set holds.
    const seIndex = segments.findIndex((s) => s.startsWith('SE*'));
    const [, count, control] = (segments[seIndex] as string).split('*');
    const wrongCount = segments.map((s, i) => (i === seIndex ? `SE*${Number(count) + 1}*${control}` : s));
    const wrongText = wrongCount.join('~');
    const seOutcome = await load(bad('bad-se.837', wrongText));
    expect(seOutcome).toMatchObject({
      status: 'quarantined',
      location: `segment ${seIndex + 1} (byte ${offsetOf(wrongCount, seIndex)})`,
      message: `expected SE01 = ${count}, found SE01 "${Number(count) + 1}"`,
    });

    // The first CLM removed (and SE01 lowered to match): the HI after it has no claim.
    const clmIndex = segments.findIndex((s) => s.startsWith('CLM*'));
    const noClm = segments
      .filter((_, i) => i !== clmIndex)
      .map((s) =>
        s.startsWith('SE*') && s.endsWith(`*${control}`) ? `SE*${Number(count) - 1}*${control}` : s,
      );
    expect(noClm[clmIndex]).toMatch(/^HI\*/);
    const clmOutcome = await load(bad('no-clm.837', noClm.join('~')));
    expect(clmOutcome).toMatchObject({
      status: 'quarantined',
      location: `segment ${clmIndex + 1} (byte ${offsetOf(noClm, clmIndex)})`,
      message: 'expected CLM before HI, found HI with no open claim',
    });
    expect(await counts()).toEqual(before);
  });

  it('rcm inspect reports claims, lines and charges of an 837P', async () => {
    const result = await inspectFile(path.join(corpus, 'linuxforhealth/demo.cob.example3.A.837'));
    expect(result).toMatchObject({
      type: '837P',
      version: '005010X222A2',
      claims: 1,
      service_lines: 3,
      total_charge: '79.04',
      errors: [],
    });
    expect(result.warnings.map((w) => w.code)).toEqual(['x12.unexpected_version']);
  });
});

/** Byte offset of segment `index` when the segments are joined with '~' (latin1: one byte per character). */
function offsetOf(segments: string[], index: number): number {
  let offset = 0;
  for (let i = 0; i < index; i++) offset += (segments[i] as string).length + 1;
  return offset;
}
