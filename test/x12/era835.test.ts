import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Claim, Imbalance, Remittance } from '../../etl/x12/era835-records.ts';
import { parseX12File, parseX12Text } from '../../etl/x12/parse.ts';
import { era835Interchange, serializeSegments } from '../helpers/x12-serialize.ts';

const synthetic = path.join(import.meta.dirname, '../fixtures/x12/synthetic');

async function parse835(file: string) {
  const claims: Claim[] = [];
  const remittances: Remittance[] = [];
  const imbalances: Imbalance[] = [];
  const result = await parseX12File(path.join(synthetic, file), {
    claim: (c) => claims.push(c),
    remittance: (r) => remittances.push(r),
    imbalance: (i) => imbalances.push(i),
  });
  return { claims, remittances, imbalances, result };
}

describe('835 records (synthetic reversal, correction, PLB, repeated CAS, recoded procedure)', () => {
  it('marks the reversal (CLP02 22) and links the correction that follows it, and a REF*F8 correction', async () => {
    const { claims, result } = await parse835('reversal-correction-plb.835');
    expect(result.issues).toEqual([]);
    const [reversal, correction, referenced] = claims;
    expect(reversal).toMatchObject({
      role: 'reversal',
      statusCode: '22',
      chargeCents: -15000n,
      paidCents: -10000n,
      patientResponsibilityCents: -2000n,
      payerClaimControlNumber: 'ICN001',
      originalPayerClaimControlNumber: 'ICN001',
      differenceCents: 0n,
    });
    expect(correction).toMatchObject({
      role: 'correction',
      statusCode: '1',
      frequencyCode: '7',
      reversalSegmentNo: reversal?.segmentNo,
      originalPayerClaimControlNumber: 'ICN001',
      payerClaimControlNumber: 'ICN002',
    });
    expect(referenced).toMatchObject({
      role: 'correction',
      reversalSegmentNo: null,
      originalPayerClaimControlNumber: 'ICN000',
    });
    expect(claims[3]).toMatchObject({ role: 'original', originalPayerClaimControlNumber: null });
  });

  it('keeps every CAS triplet, repeated groups included, at the level where it appears', async () => {
    const { claims } = await parse835('reversal-correction-plb.835');
    const reversal = claims[0] as Claim;
    expect(reversal.adjustments.map((a) => [a.level, a.groupCode, a.reasonCode, a.amountCents])).toEqual([
      ['claim', 'CO', '45', -3000n],
      ['claim', 'PR', '2', -2000n],
    ]);
    const line = (claims[1] as Claim).lines[0];
    expect(
      line?.adjustments.map((a) => [
        a.level,
        a.groupCode,
        a.reasonCode,
        a.amountCents,
        a.quantity,
        a.tripletIndex,
      ]),
    ).toEqual([
      ['line', 'CO', '45', 1000n, '1', 1],
      ['line', 'CO', '253', 200n, null, 2],
      ['line', 'CO', '45', 800n, null, 1],
      ['line', 'PR', '2', 2000n, null, 1],
    ]);
  });

  it('reads the paid procedure, its modifiers and the billed procedure the payer recoded (SVC06)', async () => {
    const { claims } = await parse835('reversal-correction-plb.835');
    const line = (claims[1] as Claim).lines[0];
    expect(line).toMatchObject({
      procedure: { qualifier: 'HC', code: '99213', modifiers: ['25', null, null, null] },
      originalProcedure: { qualifier: 'HC', code: '99214', modifiers: [null, null, null, null] },
      chargeCents: 15000n,
      paidCents: 11000n,
      units: '1',
      serviceDate: '2025-12-01',
      lineControlNumber: 'LINE1',
      allowedCents: 13000n,
      differenceCents: 0n,
    });
    expect(line?.remarks.map((r) => `${r.qualifier}:${r.code}`)).toEqual(['HE:N130', 'HE:M15']);
  });

  it('reads every PLB pair (WO, FB, L6, 72) with its reference, across PLB segments, and balances with them', async () => {
    const { remittances } = await parse835('reversal-correction-plb.835');
    const first = remittances[0] as Remittance;
    expect(
      first.providerAdjustments.map((p) => [p.pairIndex, p.reasonCode, p.reference, p.amountCents]),
    ).toEqual([
      [1, 'WO', 'PCN100 20251201 ICN001', 2500n],
      [2, 'FB', 'FWD1', -500n],
      [3, 'L6', 'INT', -150n],
      [1, '72', 'RET', -1000n],
    ]);
    // Σ CLP04 = -100.00 + 110.00 + 0 = 10.00; Σ PLB = 25 - 5 - 1.50 - 10 = 8.50; BPR02 = 1.50.
    expect(first).toMatchObject({
      claimsPaidCents: 1000n,
      plbTotalCents: 850n,
      totalPaidCents: 150n,
      balanced: true,
      transactionDifferenceCents: 0n,
    });
    expect(first).toMatchObject({
      payer: {
        name: 'SYNTHETIC HEALTH PLAN',
        idQualifier: 'XV',
        id: '99999',
        city: 'HARTFORD',
        contactPhone: '8005551212',
      },
      payee: { name: 'EXAMPLE FAMILY PRACTICE', idQualifier: 'XX', id: '1234567893' },
      paymentDate: '2026-01-09',
      productionDate: '2026-01-08',
      traceNumber: 'EFT0001',
      paymentMethod: 'ACH',
    });
  });

  it('records each imbalance at its level with the exact amounts and location, and goes on', async () => {
    const { imbalances, remittances } = await parse835('reversal-correction-plb.835');
    expect(
      imbalances.map((i) => [
        i.level,
        i.transactionControlNumber,
        i.patientControlNumber,
        i.statedCents,
        i.computedCents,
        i.differenceCents,
      ]),
    ).toEqual([
      ['line', '0002', 'PCN300', 6000n, 7000n, 1000n],
      ['claim', '0002', 'PCN300', 6000n, 7000n, 1000n],
      ['transaction', '0002', null, 5000n, 6000n, 1000n],
    ]);
    expect(imbalances.map((i) => i.segmentNo)).toEqual([47, 45, 40]);
    expect(remittances[1]).toMatchObject({ balanced: false, imbalanceCount: 3 });
  });

  it('sums amounts exactly where binary floating point would not (0.1 + 0.2)', () => {
    const segments = era835Interchange([
      {
        controlNumber: '1',
        traceNumber: 'T',
        payerName: 'P',
        payeeName: 'Q',
        payeeNpi: '1234567893',
        providerAdjustments: [],
        claims: [
          {
            patientControlNumber: 'A',
            status: '1',
            chargeCents: 10n,
            paidCents: 10n,
            adjustments: [],
            lines: [],
          },
          {
            patientControlNumber: 'B',
            status: '1',
            chargeCents: 20n,
            paidCents: 20n,
            adjustments: [],
            lines: [],
          },
        ],
        totalPaidCents: 30n,
      },
    ]);
    const remittances: Remittance[] = [];
    parseX12Text(serializeSegments(segments), { remittance: (r) => remittances.push(r) });
    expect(remittances[0]).toMatchObject({ claimsPaidCents: 30n, balanced: true });
  });
});
