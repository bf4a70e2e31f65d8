import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadX12 } from '../../etl/load/x12-loader.ts';
import { openWarehouse, type Warehouse } from '../../etl/warehouse/connection.ts';
import { loadFile } from '../../etl/warehouse/load-file.ts';
import { x12RawTables } from '../../etl/x12/raw-tables.ts';
import { writeHugeAmount835 } from '../helpers/huge-amount-835.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');
const synthetic = path.join(import.meta.dirname, '../fixtures/x12/synthetic');

/** Hand-checked totals (see corpus.test.ts): claims, Σ CLP04, Σ PLB, Σ BPR02, balanced transactions. */
const expected835: Record<
  string,
  {
    claims: number;
    lines: number;
    clp04: string;
    plb: string;
    bpr02: string;
    unbalanced: number;
    imbalances: number;
  }
> = {
  'linuxforhealth/medicare-part-a.835': {
    claims: 2,
    lines: 0,
    clp04: '149998.73',
    plb: '-1.27',
    bpr02: '150000.00',
    unbalanced: 0,
    imbalances: 0,
  },
  'affect-therapeutics/sample_835_with_interests.txt': {
    claims: 6,
    lines: 12,
    clp04: '142.91',
    plb: '-5.30',
    bpr02: '142.91',
    unbalanced: 2,
    imbalances: 2,
  },
  'chs-cds-aiml/test.835': {
    claims: 1,
    lines: 2,
    clp04: '1500.50',
    plb: '0.00',
    bpr02: '1500.50',
    unbalanced: 1,
    imbalances: 1,
  },
  'tastypackets/profee-multiple.edi': {
    claims: 468,
    lines: 1560,
    clp04: '7137.00',
    plb: '0.00',
    bpr02: '7137.00',
    unbalanced: 0,
    imbalances: 0,
  },
  'keironstoddart/blue_cross_nc_sample.txt': {
    claims: 1,
    lines: 3,
    clp04: '1922.86',
    plb: '0.00',
    bpr02: '1922.86',
    unbalanced: 0,
    imbalances: 0,
  },
};

describe('X12 loader into the raw tables', () => {
  const wh = tempWarehouse('x12-load');
  let warehouse: Warehouse;
  const fileIds = new Map<string, bigint>();

  const scalar = async (sql: string, params: Record<string, string | bigint> = {}) =>
    (await warehouse.connection.runAndReadAll(sql, params)).getRows()[0]?.[0];

  const load = (file: string, kind = '835', practiceId = 'P001') =>
    loadFile(warehouse.connection, wh, { filePath: file, practiceId, kind }, loadX12);

  beforeAll(async () => {
    warehouse = await openWarehouse(wh.database);
  });
  afterAll(() => {
    warehouse.close();
    wh.remove();
  });

  it.each(Object.entries(expected835))(
    'loads %s and the raw tables add up to the hand-checked totals',
    async (file, want) => {
      const outcome = await load(path.join(corpus, file));
      expect(outcome.status).toBe('loaded');
      fileIds.set(file, outcome.fileId);
      const id = { id: outcome.fileId };
      const sums = await warehouse.connection.runAndReadAll(
        `select
         (select count(*) from raw.era_claims where file_id = $id),
         (select count(*) from raw.era_service_lines where file_id = $id),
         (select coalesce(sum(paid_amount), 0)::varchar from raw.era_claims where file_id = $id),
         (select coalesce(sum(amount), 0)::varchar from raw.era_provider_adjustments where file_id = $id),
         (select coalesce(sum(total_paid), 0)::varchar from raw.era_remittances where file_id = $id),
         (select count(*) from raw.era_remittances where file_id = $id and not is_balanced),
         (select count(*) from raw.era_imbalances where file_id = $id and imbalance_level = 'transaction')
           + (select count(*) from raw.era_imbalances where file_id = $id and imbalance_level = 'claim')`,
        id,
      );
      const [claims, lines, clp04, plb, bpr02, unbalanced, imbalances] = sums.getRows()[0] ?? [];
      expect({
        claims: Number(claims),
        lines: Number(lines),
        clp04,
        plb,
        bpr02,
        unbalanced: Number(unbalanced),
        imbalances: Number(imbalances),
      }).toEqual({
        ...want,
        clp04: Number(want.clp04).toFixed(2),
        plb: Number(want.plb).toFixed(2),
        bpr02: Number(want.bpr02).toFixed(2),
      });
    },
  );

  it('keeps positions, keys and every loop of the synthetic reversal/correction file', async () => {
    const text = readFileSync(path.join(synthetic, 'reversal-correction-plb.835'), 'latin1');
    const outcome = await load(path.join(synthetic, 'reversal-correction-plb.835'));
    expect(outcome.status).toBe('loaded');
    const id = { id: outcome.status === 'loaded' ? outcome.fileId : 0n };
    const rows = async (sql: string) => (await warehouse.connection.runAndReadAll(sql, id)).getRows();
    expect(
      await rows(
        `select patient_control_number, claim_status_code, claim_role, reversal_segment_no, original_payer_claim_control_number,
                paid_amount::varchar, interchange_control_number, segment_no
         from raw.era_claims where file_id = $id order by segment_no`,
      ),
    ).toEqual([
      ['PCN100', '22', 'reversal', null, 'ICN001', '-100.00', '000000042', 14],
      ['PCN100', '1', 'correction', 14, 'ICN001', '110.00', '000000042', 19],
      ['PCN200', '2', 'correction', null, 'ICN000', '0.00', '000000042', 32],
      ['PCN300', '1', 'original', null, null, '60.00', '000000042', 45],
    ]);
    expect(
      await rows(
        `select adjustment_level, group_code, reason_code, amount::varchar, quantity::varchar, line_segment_no
         from raw.era_adjustments where file_id = $id and claim_segment_no = 19 order by segment_no, triplet_index`,
      ),
    ).toEqual([
      ['line', 'CO', '45', '10.00', '1.0000', 23],
      ['line', 'CO', '253', '2.00', null, 23],
      ['line', 'CO', '45', '8.00', null, 23],
      ['line', 'PR', '2', '20.00', null, 23],
    ]);
    expect(
      await rows(
        `select procedure_code, modifier_1, is_recoded, original_procedure_code, allowed_amount::varchar, service_date::varchar, line_control_number
         from raw.era_service_lines where file_id = $id order by segment_no`,
      ),
    ).toEqual([
      ['99213', '25', true, '99214', '130.00', '2025-12-01', 'LINE1'],
      ['99212', null, false, null, null, '2025-12-15', null],
    ]);
    expect(
      await rows(
        `select reason_code, reference_id, amount::varchar from raw.era_provider_adjustments where file_id = $id order by segment_no, pair_index`,
      ),
    ).toEqual([
      ['WO', 'PCN100 20251201 ICN001', '25.00'],
      ['FB', 'FWD1', '-5.00'],
      ['L6', 'INT', '-1.50'],
      ['72', 'RET', '-10.00'],
    ]);
    expect(
      await rows(`select remark_code from raw.era_remarks where file_id = $id order by segment_no`),
    ).toEqual([['N130'], ['M15']]);
    expect(
      await rows(
        `select imbalance_level, segment_no, stated_amount::varchar, computed_amount::varchar, difference::varchar
         from raw.era_imbalances where file_id = $id order by segment_no`,
      ),
    ).toEqual([
      ['transaction', 40, '50.00', '60.00', '10.00'],
      ['claim', 45, '60.00', '70.00', '10.00'],
      ['line', 47, '60.00', '70.00', '10.00'],
    ]);
    expect(
      await rows(
        `select transaction_control_number, payer_name, payee_npi, total_paid::varchar, payment_date::varchar, trace_number,
                claims_paid::varchar, plb_total::varchar, is_balanced, byte_offset
         from raw.era_remittances where file_id = $id order by segment_no`,
      ),
    ).toEqual([
      [
        '0001',
        'SYNTHETIC HEALTH PLAN',
        '1234567893',
        '1.50',
        '2026-01-09',
        'EFT0001',
        '10.00',
        '8.50',
        true,
        BigInt(text.indexOf('ST*835*0001')),
      ],
      [
        '0002',
        'SYNTHETIC HEALTH PLAN',
        '1234567893',
        '50.00',
        '2026-01-09',
        'CHK0002',
        '60.00',
        '0.00',
        false,
        BigInt(text.indexOf('ST*835*0002')),
      ],
    ]);
  });

  it('loads 277CA claim statuses and 999 acknowledgments', async () => {
    const accepted = await load(path.join(corpus, 'imsweb/x12_277CA_accepted.txt'), '277CA');
    const rejected = await load(path.join(corpus, 'imsweb/x12_277CA_rejected.txt'), '277CA');
    const ack = await load(path.join(corpus, 'imsweb/x12_999_rejected.txt'), '999');
    const multi = await load(path.join(corpus, 'pyx12/834_lui_id_5010.999.txt'), '999');
    expect([accepted.status, rejected.status, ack.status, multi.status]).toEqual([
      'loaded',
      'loaded',
      'loaded',
      'loaded',
    ]);
    const claimRows = await warehouse.connection.runAndReadAll(
      `select file_id = $a, trace_number, category_code, status_code, entity_identifier_code, payer_claim_control_number, charge_amount::varchar, is_rejection
       from raw.ack_277_statuses where status_level = 'claim' order by file_id`,
      { a: accepted.fileId },
    );
    expect(claimRows.getRows()).toEqual([
      [true, '5781', 'A2', '20', null, '1107000000014420', '125.00', false],
      [false, '3920394930203', 'A7', '562', '85', '1107000000001120', '199.14', true],
    ]);
    expect(
      await scalar(`select count(*) from raw.ack_277_statuses where status_level = 'information_receiver'`),
    ).toBe(2n);
    const sets = await warehouse.connection.runAndReadAll(
      'select ack_transaction_control_number, ack_code, is_rejected, syntax_error_codes, error_count from raw.ack_999_transaction_sets where file_id = $f',
      { f: ack.fileId },
    );
    expect(sets.getRows()).toEqual([['0028', 'R', true, '5', 1]]);
    expect(
      await scalar(
        'select segment_id || segment_position || error_code from raw.ack_999_errors where file_id = $f',
        { f: ack.fileId },
      ),
    ).toBe('NM171');
    expect(
      await scalar('select count(*) from raw.ack_999_transaction_sets where file_id = $f and is_accepted', {
        f: multi.fileId,
      }),
    ).toBe(4n);
    expect(
      await scalar('select count(*) from raw.ack_999_groups where file_id = $f', { f: multi.fileId }),
    ).toBe(4n);
  });

  it('records the file warnings (SE01 counts) in raw.file_warnings', async () => {
    const id = fileIds.get('chs-cds-aiml/test.835') as bigint;
    expect(
      await scalar(`select count(*) from raw.file_warnings where file_id = $id and code = 'x12.se_count'`, {
        id,
      }),
    ).toBe(1n);
  });

  it('changes nothing when the same file is loaded again', async () => {
    const before = await scalar('select count(*) from raw.era_claims');
    const outcome = await load(path.join(corpus, 'linuxforhealth/medicare-part-a.835'));
    expect(outcome.status).toBe('skipped');
    expect(await scalar('select count(*) from raw.era_claims')).toBe(before);
  });

  it('quarantines a file with a malformed payment, naming segment, byte and value, and leaves no row of it', async () => {
    const source = readFileSync(path.join(synthetic, 'reversal-correction-plb.835'), 'latin1');
    const bad = path.join(wh.dir, 'bad-amount.835');
    // The last CLP04 (segment 45) becomes "60.0O": every claim before it was already appended when it is found.
    writeFileSync(bad, source.replace('CLP*PCN300*1*100.00*60.00', 'CLP*PCN300*1*100.00*60.0O'), 'latin1');
    const counts = async () => {
      const all = x12RawTables.map((t) => t.name);
      const found: unknown[] = [];
      for (const table of all) found.push(await scalar(`select count(*) from raw.${table}`));
      return found;
    };
    const before = await counts();
    const outcome = await load(bad);
    expect(outcome.status).toBe('quarantined');
    if (outcome.status !== 'quarantined') return;
    const offset = source.indexOf('CLP*PCN300');
    expect(outcome.location).toBe(`segment 45 (byte ${offset})`);
    expect(outcome.message).toBe('expected CLP04 as a decimal amount, found "60.0O"');
    expect(await counts()).toEqual(before);
  });

  it('quarantines a payment too large to store exactly, naming the claim segment it came from', async () => {
    // A well-formed amount beyond DECIMAL(18,2): the parser reads it, the raw tables cannot hold it
    const { file: bad, source } = writeHugeAmount835(wh.dir);
    const outcome = await load(bad);
    expect(outcome.status).toBe('quarantined');
    if (outcome.status !== 'quarantined') return;
    expect(outcome.location).toBe(`segment 45 (byte ${source.indexOf('CLP*PCN300')})`);
    expect(outcome.message).toMatch(
      /^expected values the raw tables can store, found raw\.era_\w+\.\w+: expected cents within DECIMAL\(18,2\)/,
    );
  });

  it('refuses an X12 file holding no 835, 837P, 277CA or 999 (an 834) rather than loading it empty', async () => {
    const text = readFileSync(path.join(corpus, 'linuxforhealth/demo.example1.837'), 'latin1')
      .replace('ST*837*0021*005010X222A2', 'ST*834*0021*005010X220A1')
      .replace('005010X222A2', '005010X220A1');
    const file = path.join(wh.dir, 'enrolment.834');
    writeFileSync(file, text, 'latin1');
    const outcome = await load(file, 'unknown-x12');
    expect(outcome).toMatchObject({
      status: 'quarantined',
      location: `segment 3 (byte ${text.indexOf('ST*834')})`,
      message: 'expected an 835, 837P, 277CA or 999 transaction set, found transaction set 834',
    });
  });

  it('quarantines a truncated file (no SE/GE/IEA) and an 004010 remittance, loading nothing of them', async () => {
    const source = readFileSync(path.join(corpus, 'linuxforhealth/managed-care.835'), 'latin1');
    const truncated = path.join(wh.dir, 'truncated.835');
    writeFileSync(truncated, source.slice(0, source.indexOf('SE*')), 'latin1');
    const outcome = await load(truncated);
    expect(outcome).toMatchObject({
      status: 'quarantined',
      location: `segment 3 (byte ${source.indexOf('ST*835')})`,
      message: 'expected SE, found file ends inside transaction set "112233"',
    });
    const old = path.join(wh.dir, 'old.835');
    writeFileSync(old, source.replace('005010X221A1', '004010X091A1'), 'latin1');
    const oldOutcome = await load(old);
    expect(oldOutcome.status).toBe('quarantined');
    if (oldOutcome.status === 'quarantined')
      expect(oldOutcome.message).toMatch(
        /^expected 005010X221A1 .*, found transaction set 835 version "004010X091A1" is not supported$/,
      );
    expect(
      await scalar(
        `select count(*) from raw.era_claims c join raw.files f using (file_id) where f.status = 'quarantined'`,
      ),
    ).toBe(0n);
  });
});
