import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Claim, Remittance } from '../../etl/x12/era835-records.ts';
import { X12Error } from '../../etl/x12/errors.ts';
import { parseX12Text } from '../../etl/x12/parse.ts';
import type { Separators } from '../../etl/x12/separators.ts';
import {
  type AdjustmentSpec,
  type ClaimSpec,
  era835Interchange,
  type LineSpec,
  type RemittanceSpec,
  serializeSegments,
} from '../helpers/x12-serialize.ts';

const RUNS = Number(process.env.X12_PROPERTY_RUNS ?? 60);

const text = (max: number) =>
  fc.stringMatching(new RegExp(`^[A-Z0-9][A-Z0-9 ]{0,${max - 1}}$`)).map((s) => s.trimEnd());
const code = fc.stringMatching(/^[A-Z0-9]{1,5}$/);
const cents = fc.bigInt({ min: -99_999_999n, max: 99_999_999n });

const separatorsArb: fc.Arbitrary<Separators> = fc
  .shuffledSubarray(['*', '|', '^', '!', '>', ':', '~', '\u001f', '\u001e', '\u001d', '{', '}', '\\'], {
    minLength: 4,
    maxLength: 4,
  })
  .chain(([element, component, repetition, segment]) =>
    fc.boolean().map((newlineTerminator) => ({
      element: element as string,
      component: component as string,
      repetition: repetition as string,
      segment: newlineTerminator ? '\n' : (segment as string),
    })),
  );

const adjustmentArb: fc.Arbitrary<AdjustmentSpec> = fc.record({
  group: fc.constantFrom('CO', 'PR', 'OA', 'PI'),
  reason: code,
  cents,
});

/** A service line that balances: SVC03 = SVC02 − Σ CAS. */
const lineArb: fc.Arbitrary<LineSpec> = fc
  .record({
    code: fc.stringMatching(/^[0-9A-Z]{5}$/),
    modifiers: fc.array(fc.stringMatching(/^[0-9A-Z]{2}$/), { maxLength: 4 }),
    chargeCents: cents,
    adjustments: fc.array(adjustmentArb, { maxLength: 8 }),
    original: fc.option(fc.stringMatching(/^[0-9A-Z]{5}$/), { nil: undefined }),
  })
  .map(({ code: procedure, modifiers, chargeCents, adjustments, original }) => ({
    qualifier: 'HC',
    code: procedure,
    modifiers,
    chargeCents,
    paidCents: chargeCents - adjustments.reduce((sum, a) => sum + a.cents, 0n),
    adjustments,
    original: original === undefined ? undefined : { qualifier: 'HC', code: original, modifiers: [] },
  }));

/** A claim that balances: CLP04 = CLP03 − Σ claim and line CAS. */
const claimArb: fc.Arbitrary<ClaimSpec> = fc
  .record({
    patientControlNumber: text(20),
    status: fc.constantFrom('1', '2', '3', '4', '19', '22'),
    adjustments: fc.array(adjustmentArb, { maxLength: 4 }),
    lines: fc.array(lineArb, { maxLength: 4 }),
    extraCharge: cents,
    payerClaimControlNumber: code,
    patientLastName: text(12),
  })
  .map(({ adjustments, lines, extraCharge, ...rest }) => {
    const chargeCents = lines.length > 0 ? lines.reduce((sum, l) => sum + l.chargeCents, 0n) : extraCharge;
    const linePaid = lines.reduce((sum, l) => sum + l.paidCents, 0n);
    const claimCas = adjustments.reduce((sum, a) => sum + a.cents, 0n);
    const paidCents = lines.length > 0 ? linePaid - claimCas : chargeCents - claimCas;
    return { ...rest, adjustments, lines, chargeCents, paidCents };
  });

const remittanceArb: fc.Arbitrary<RemittanceSpec> = fc.record({
  controlNumber: fc.stringMatching(/^[0-9]{4,9}$/),
  traceNumber: code,
  payerName: text(30),
  payeeName: text(30),
  payeeNpi: fc.stringMatching(/^[0-9]{10}$/),
  claims: fc.array(claimArb, { minLength: 1, maxLength: 5 }),
  providerAdjustments: fc.array(
    fc.record({
      reason: fc.constantFrom('WO', 'FB', 'L6', '72', 'CS', 'CV'),
      reference: fc.option(code, { nil: undefined }),
      cents,
    }),
    { maxLength: 8 },
  ),
});

interface Parsed {
  claims: Claim[];
  remittances: Remittance[];
  imbalances: number;
  errors: string[];
}

function parse(input: string | Uint8Array, chunkSize?: number): Parsed {
  const parsed: Parsed = { claims: [], remittances: [], imbalances: 0, errors: [] };
  const result = parseX12Text(
    input,
    {
      claim: (c) => parsed.claims.push(c),
      remittance: (r) => parsed.remittances.push(r),
      imbalance: () => parsed.imbalances++,
    },
    chunkSize === undefined ? {} : { chunkSize },
  );
  parsed.errors = result.issues.filter((i) => i.severity === 'error').map((i) => i.message);
  return parsed;
}

describe('835 property tests', () => {
  it('random valid 835s with random separators serialise and parse back identically, balanced', () => {
    fc.assert(
      fc.property(
        fc.array(remittanceArb, { minLength: 1, maxLength: 3 }),
        separatorsArb,
        fc.constantFrom('', '\n', '\r\n'),
        fc.integer({ min: 1, max: 4096 }),
        (remittances, separators, lineBreak, chunkSize) => {
          const file = serializeSegments(era835Interchange(remittances, separators), separators, lineBreak);
          const parsed = parse(file, chunkSize);
          expect(parsed.errors).toEqual([]);
          expect(parsed.imbalances).toBe(0);
          expect(parsed.remittances).toHaveLength(remittances.length);
          const expectedClaims = remittances.flatMap((r) => r.claims);
          expect(parsed.claims).toHaveLength(expectedClaims.length);
          parsed.claims.forEach((claim, i) => {
            const spec = expectedClaims[i] as ClaimSpec;
            expect(claim.patientControlNumber).toBe(spec.patientControlNumber);
            expect(claim.statusCode).toBe(spec.status);
            expect(claim.chargeCents).toBe(spec.chargeCents);
            expect(claim.paidCents).toBe(spec.paidCents);
            expect(claim.payerClaimControlNumber).toBe(spec.payerClaimControlNumber);
            expect(claim.entities[0]?.lastName).toBe(spec.patientLastName);
            expect(claim.adjustments.map((a) => [a.groupCode, a.reasonCode, a.amountCents])).toEqual(
              spec.adjustments.map((a) => [a.group, a.reason, a.cents]),
            );
            expect(
              claim.lines.map((l) => [
                l.procedure.code,
                l.procedure.modifiers.filter((m) => m !== null),
                l.chargeCents,
                l.paidCents,
                l.originalProcedure?.code ?? null,
                l.adjustments.length,
              ]),
            ).toEqual(
              spec.lines.map((l) => [
                l.code,
                l.modifiers,
                l.chargeCents,
                l.paidCents,
                l.original?.code ?? null,
                l.adjustments.length,
              ]),
            );
          });
          parsed.remittances.forEach((remittance, i) => {
            const spec = remittances[i] as RemittanceSpec;
            expect(remittance.payer.name).toBe(spec.payerName);
            expect(remittance.payee.id).toBe(spec.payeeNpi);
            expect(
              remittance.providerAdjustments.map((p) => [p.reasonCode, p.reference, p.amountCents]),
            ).toEqual(spec.providerAdjustments.map((p) => [p.reason, p.reference ?? null, p.cents]));
            expect(remittance.balanced).toBe(true);
          });
        },
      ),
      { numRuns: RUNS },
    );
  });

  it('random byte mutations never crash or hang the parser: it returns, or throws an X12Error', () => {
    const base = serializeSegments(
      era835Interchange([
        {
          controlNumber: '1001',
          traceNumber: 'T1',
          payerName: 'PAYER',
          payeeName: 'PAYEE',
          payeeNpi: '1234567893',
          claims: [
            {
              patientControlNumber: 'PCN1',
              status: '1',
              chargeCents: 10000n,
              paidCents: 8000n,
              adjustments: [],
              lines: [
                {
                  qualifier: 'HC',
                  code: '99213',
                  modifiers: ['25'],
                  chargeCents: 10000n,
                  paidCents: 8000n,
                  adjustments: [{ group: 'CO', reason: '45', cents: 2000n }],
                },
              ],
            },
          ],
          providerAdjustments: [{ reason: 'WO', reference: 'X', cents: 100n }],
        },
      ]),
      undefined,
      '\n',
    );
    const bytes = Buffer.from(base, 'latin1');
    const mutation = fc.oneof(
      fc.record({
        kind: fc.constant('replace' as const),
        at: fc.nat(),
        byte: fc.integer({ min: 0, max: 255 }),
      }),
      fc.record({
        kind: fc.constant('insert' as const),
        at: fc.nat(),
        byte: fc.constantFrom(42, 58, 126, 10, 13, 0, 255, 73),
      }),
      fc.record({ kind: fc.constant('delete' as const), at: fc.nat(), byte: fc.constant(0) }),
      fc.record({ kind: fc.constant('truncate' as const), at: fc.nat(), byte: fc.constant(0) }),
    );
    fc.assert(
      fc.property(
        fc.array(mutation, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 512 }),
        (mutations, chunkSize) => {
          let mutated = Buffer.from(bytes);
          for (const m of mutations) {
            const at = m.at % Math.max(1, mutated.length);
            if (m.kind === 'replace') mutated[at] = m.byte;
            else if (m.kind === 'insert')
              mutated = Buffer.concat([mutated.subarray(0, at), Buffer.from([m.byte]), mutated.subarray(at)]);
            else if (m.kind === 'delete')
              mutated = Buffer.concat([mutated.subarray(0, at), mutated.subarray(at + 1)]);
            else mutated = mutated.subarray(0, at);
          }
          try {
            parse(mutated, chunkSize);
          } catch (error) {
            if (!(error instanceof X12Error)) throw error;
            expect(error.location).toMatch(/^(segment \d+ \()?byte \d+\)?$/);
          }
        },
      ),
      { numRuns: RUNS * 6 },
    );
  });
});
