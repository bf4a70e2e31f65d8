import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectFile } from '../../etl/x12/inspect.ts';
import { parseX12File, parseX12Text, type X12Sink } from '../../etl/x12/parse.ts';

const corpusDir = path.join(import.meta.dirname, '../fixtures/x12/corpus');

interface ManifestRow {
  file: string;
  n_transactions: string;
  n_isa: string;
  n_clp: string;
  se_count_errors: string;
  tx_type: string;
}

function manifest(): ManifestRow[] {
  const [header, ...lines] = readFileSync(path.join(corpusDir, 'MANIFEST.tsv'), 'utf8').trimEnd().split('\n');
  const columns = (header as string).split('\t');
  return lines.map(
    (line) =>
      Object.fromEntries(line.split('\t').map((value, i) => [columns[i], value])) as unknown as ManifestRow,
  );
}

/**
 * Totals of every 835 in the corpus, checked by hand against the file text: claims (CLP count), service lines
 * (SVC count), Σ CLP04, Σ PLB amounts, Σ BPR02, and which balancing rules fail where.
 */
const hand835: Record<
  string,
  {
    claims: number;
    lines: number;
    clp04: string;
    plb: string;
    bpr02: string;
    balanced: boolean;
    imbalances: string[];
  }
> = {
  'affect-therapeutics/exhaustive_sample.txt': {
    claims: 1,
    lines: 1,
    clp04: '0.00',
    plb: '0.00',
    bpr02: '0.00',
    balanced: true,
    imbalances: [],
  },
  // ST 1002: CLP04 1.78 + 0, PLB resnCode 5 => 1.78 - 5 = -3.22 against BPR02 1.78.
  'affect-therapeutics/sample_835.txt': {
    claims: 6,
    lines: 12,
    clp04: '142.91',
    plb: '5.00',
    bpr02: '142.91',
    balanced: false,
    imbalances: ['transaction 1002 -5.00'],
  },
  // ST 1001 adds PLB L6 -10.30 (interest) that BPR02 141.13 leaves out: 141.13 + 10.30 = 151.43.
  'affect-therapeutics/sample_835_with_interests.txt': {
    claims: 6,
    lines: 12,
    clp04: '142.91',
    plb: '-5.30',
    bpr02: '142.91',
    balanced: false,
    imbalances: ['transaction 1002 -5.00', 'transaction 1001 10.30'],
  },
  // CLP03 2000 - (claim CAS PR 499.50 + line CAS 400 + 99.50) = 1001.00, CLP04 says 1500.50.
  'chs-cds-aiml/test.835': {
    claims: 1,
    lines: 2,
    clp04: '1500.50',
    plb: '0.00',
    bpr02: '1500.50',
    balanced: false,
    imbalances: ['claim 0001 -499.50'],
  },
  'keironstoddart/blue_cross_nc_sample.txt': {
    claims: 1,
    lines: 3,
    clp04: '1922.86',
    plb: '0.00',
    bpr02: '1922.86',
    balanced: true,
    imbalances: [],
  },
  'keironstoddart/united_healthcare_legacy_sample.txt': {
    claims: 2,
    lines: 5,
    clp04: '349.99',
    plb: '0.00',
    bpr02: '349.99',
    balanced: true,
    imbalances: [],
  },
  'linuxforhealth/cob-contractural-adjustment.835': {
    claims: 1,
    lines: 1,
    clp04: '34.00',
    plb: '0.00',
    bpr02: '34.00',
    balanced: true,
    imbalances: [],
  },
  'linuxforhealth/managed-care.835': {
    claims: 2,
    lines: 2,
    clp04: '945.00',
    plb: '0.00',
    bpr02: '945.00',
    balanced: true,
    imbalances: [],
  },
  // PLB CV:CP -1.27 raises the payment: 149998.73 + 1.27 = 150000.00.
  'linuxforhealth/medicare-part-a.835': {
    claims: 2,
    lines: 0,
    clp04: '149998.73',
    plb: '-1.27',
    bpr02: '150000.00',
    balanced: true,
    imbalances: [],
  },
  'linuxforhealth/secondary-payment.835': {
    claims: 2,
    lines: 2,
    clp04: '1222.00',
    plb: '0.00',
    bpr02: '1222.00',
    balanced: true,
    imbalances: [],
  },
  // SVC*HC*24599.00*1766.50*187.50: the code slid into SVC02, so 24599.00 - 1579.00 = 23020.00 against SVC03 1766.50.
  'linuxforhealth/tertiary-payment.835': {
    claims: 1,
    lines: 1,
    clp04: '187.50',
    plb: '0.00',
    bpr02: '187.50',
    balanced: false,
    imbalances: ['line 0001 21253.50'],
  },
  'pyx12/835_mult_loops.txt': {
    claims: 1,
    lines: 3,
    clp04: '0.00',
    plb: '0.00',
    bpr02: '0.00',
    balanced: true,
    imbalances: [],
  },
  'tastypackets/profee.edi': {
    claims: 3,
    lines: 10,
    clp04: '45.75',
    plb: '0.00',
    bpr02: '45.75',
    balanced: true,
    imbalances: [],
  },
  'tastypackets/profee-one-line.edi': {
    claims: 3,
    lines: 10,
    clp04: '45.75',
    plb: '0.00',
    bpr02: '45.75',
    balanced: true,
    imbalances: [],
  },
  'tastypackets/multi-line-not-delimited.edi': {
    claims: 3,
    lines: 10,
    clp04: '45.75',
    plb: '0.00',
    bpr02: '45.75',
    balanced: true,
    imbalances: [],
  },
  'tastypackets/profee-multiple.edi': {
    claims: 468,
    lines: 1560,
    clp04: '7137.00',
    plb: '0.00',
    bpr02: '7137.00',
    balanced: true,
    imbalances: [],
  },
};

/** Claim status counts of each 277 and transaction set counts of each 999, read off the STC / IK5 segments. */
const handAcks: Record<
  string,
  { type: string; claims?: number; transaction_sets?: number; accepted: number; rejected: number }
> = {
  'imsweb/x12_277CA_accepted.txt': { type: '277CA', claims: 1, accepted: 1, rejected: 0 },
  'imsweb/x12_277CA_rejected.txt': { type: '277CA', claims: 1, accepted: 0, rejected: 1 },
  'linuxforhealth/claim-level-status.277': { type: '277', claims: 3, accepted: 0, rejected: 0 },
  'linuxforhealth/claim-level-status-ncpdp.277': { type: '277', claims: 1, accepted: 0, rejected: 0 },
  'linuxforhealth/information-receiver-level-status.277': {
    type: '277',
    claims: 0,
    accepted: 0,
    rejected: 0,
  },
  'linuxforhealth/provider-level-status.277': { type: '277', claims: 1, accepted: 0, rejected: 0 },
  'imsweb/x12_999_accepted.txt': { type: '999', transaction_sets: 1, accepted: 1, rejected: 0 },
  'imsweb/x12_999_rejected.txt': { type: '999', transaction_sets: 1, accepted: 0, rejected: 1 },
  'pyx12/834_ls_le_ls_5010.999.txt': { type: '999', transaction_sets: 1, accepted: 1, rejected: 0 },
  'pyx12/834_lui_id_5010.999.txt': { type: '999', transaction_sets: 4, accepted: 4, rejected: 0 },
};

/**
 * Each 837P read off the file: claims (CLM), lines (SV1), Σ CLM02. The imsweb pair miscount SE01 (25 for 34
 * segments per set), which refuses an 837P: errors name each SE.
 */
const hand837: Record<string, { claims: number; lines: number; charges: string; seErrors: number }> = {
  'linuxforhealth/demo.example1.837': { claims: 1, lines: 4, charges: '100.00', seErrors: 0 },
  'linuxforhealth/demo.cob.example3.A.837': { claims: 1, lines: 3, charges: '79.04', seErrors: 0 },
  'imsweb/x12_valid.txt': { claims: 2, lines: 2, charges: '1000.00', seErrors: 1 },
  'imsweb/x12_multiple_isa.txt': { claims: 4, lines: 4, charges: '2000.00', seErrors: 2 },
};

describe('public X12 corpus', () => {
  const rows = manifest();

  it('lists every corpus file in the manifest and a hand-checked expectation for each 835, 837, 277 and 999', () => {
    expect(rows).toHaveLength(30);
    for (const row of rows) {
      if (row.tx_type.startsWith('835')) expect(hand835, row.file).toHaveProperty([row.file]);
      if (row.tx_type.startsWith('837')) expect(hand837, row.file).toHaveProperty([row.file]);
      if (row.tx_type.startsWith('277') || row.tx_type.startsWith('999'))
        expect(handAcks, row.file).toHaveProperty([row.file]);
    }
  });

  it.each(rows.map((row) => [row.file, row] as const))(
    '%s parses without errors (but an 837P SE01 miscount), envelope as the manifest says',
    async (file, row) => {
      const result = await inspectFile(path.join(corpusDir, file));
      const is837 = row.tx_type.startsWith('837');
      expect(result.errors.filter((e) => !is837 || e.code !== 'x12.se_count')).toEqual([]);
      expect(result.interchanges).toBe(Number(row.n_isa));
      expect(result.transactions).toBe(Number(row.n_transactions));
      const seIssues = (is837 ? result.errors : result.warnings).filter((w) => w.code === 'x12.se_count');
      expect(seIssues).toHaveLength(Number(row.se_count_errors));
      if (row.tx_type.startsWith('835')) expect(result.claims).toBe(Number(row.n_clp));
    },
  );

  it.each(Object.entries(hand835))('%s: 835 totals match the hand check', async (file, expected) => {
    const result = await inspectFile(path.join(corpusDir, file));
    expect(result.type).toBe('835');
    expect({
      claims: result.claims,
      lines: result.service_lines,
      clp04: result.claims_paid,
      plb: result.plb_total,
      bpr02: result.total_paid,
      balanced: result.balanced,
      imbalances: result.imbalances?.map((i) => `${i.level} ${i.transaction_control_number} ${i.difference}`),
    }).toEqual(expected);
  });

  it.each(Object.entries(hand837))('%s: 837P totals match the hand check', async (file, expected) => {
    const result = await inspectFile(path.join(corpusDir, file));
    expect(result.type).toBe('837P');
    expect({
      claims: result.claims,
      lines: result.service_lines,
      charges: result.total_charge,
      seErrors: result.errors.filter((e) => e.code === 'x12.se_count').length,
    }).toEqual(expected);
  });

  it.each(Object.entries(handAcks))(
    '%s: acknowledgment counts match the hand check',
    async (file, expected) => {
      const result = await inspectFile(path.join(corpusDir, file));
      const { type, ...counts } = expected;
      expect(result.type).toBe(type);
      for (const [key, value] of Object.entries(counts))
        expect(result[key as keyof typeof result], key).toBe(value);
    },
  );

  it('parses every file identically whatever the chunk size (segments split across reads)', async () => {
    for (const row of rows) {
      const full = path.join(corpusDir, row.file);
      const reference = await collect((sink) => parseX12File(full, sink));
      const bytes = readFileSync(full);
      for (const chunkSize of [1, 2, 3, 7, 64, 105, 106, 107]) {
        const chunked = await collect(async (sink) => parseX12Text(bytes, sink, { chunkSize }));
        expect(chunked, `${row.file} in chunks of ${chunkSize}`).toEqual(reference);
      }
    }
  });
});

async function collect(run: (sink: X12Sink) => Promise<unknown>): Promise<unknown[]> {
  const records: unknown[] = [];
  const push = (kind: string) => (record: unknown) => records.push([kind, record]);
  const result = (await run({
    claim: push('claim'),
    claim837: push('claim837'),
    remittance: push('remittance'),
    imbalance: push('imbalance'),
    claimStatus: push('status'),
    ackTransactionSet: push('ack'),
    ackGroup: push('group'),
    ackError: push('error'),
  })) as { issues: unknown[]; segments: number };
  records.push(['issues', result.issues, result.segments]);
  return records;
}
