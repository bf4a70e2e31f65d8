import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ClaimStatus } from '../../etl/x12/ack277.ts';
import type { AckError, AckGroup, AckTransactionSet } from '../../etl/x12/ack999.ts';
import { parseX12File, parseX12Text } from '../../etl/x12/parse.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');

describe('277 claim statuses', () => {
  it('keeps a QTY the raw tables hold exactly and warns about one they cannot, loading it as null', () => {
    const file = readFileSync(path.join(corpus, 'imsweb/x12_277CA_rejected.txt'), 'latin1');
    for (const [quantity, expected] of [
      ['1', '1'],
      ['1.23456', null],
    ] as const) {
      const statuses: ClaimStatus[] = [];
      const result = parseX12Text(file.replace('QTY*90*1~', `QTY*90*${quantity}~`), {
        claimStatus: (s) => statuses.push(s),
      });
      expect(statuses[0]?.acceptedQuantity).toBe(expected);
      const warnings = result.issues.filter((issue) => issue.code === 'x12.invalid_quantity');
      expect(warnings.map((w) => w.message)).toEqual(
        expected === null
          ? [
              'QTY02 (90) "1.23456" is not a quantity (a decimal of at most 14 digits and 4 decimals); loaded as null',
            ]
          : [],
      );
    }
  });

  it('names the element of an amount or date it cannot read, loading it as null', () => {
    const file = readFileSync(path.join(corpus, 'imsweb/x12_277CA_rejected.txt'), 'latin1')
      .replace('STC*A1|20*20110311*WQ*199.14~', 'STC*A1|20*2011031*WQ*199.1X~')
      .replace('AMT*YU*199.14~', 'AMT*YU*1.234~')
      .replace('DTP*472*D8*20090311~', 'DTP*472*D8*20090231~');
    const statuses: ClaimStatus[] = [];
    const result = parseX12Text(file, { claimStatus: (s) => statuses.push(s) });
    expect(result.issues.map((issue) => [issue.severity, issue.code, issue.message])).toEqual([
      ['warning', 'x12.invalid_amount', 'AMT02 (YU) "1.234" is not a decimal amount; loaded as null'],
      ['warning', 'x12.invalid_date', 'STC02 "2011031" is not a date CCYYMMDD; loaded as null'],
      ['warning', 'x12.invalid_amount', 'STC04 "199.1X" is not a decimal amount; loaded as null'],
      ['warning', 'x12.invalid_date', 'DTP03 (472) "20090231" is not a date CCYYMMDD; loaded as null'],
    ]);
    expect(statuses[0]).toMatchObject({ statusDate: null, chargeCents: null, acceptedAmountCents: null });
  });

  it('reads every STC with its level, trace, payer claim number and dates; service-line statuses keep their claim', async () => {
    const statuses: ClaimStatus[] = [];
    const result = await parseX12File(path.join(corpus, 'linuxforhealth/claim-level-status.277'), {
      claimStatus: (s) => statuses.push(s),
    });
    expect(result.totals277).toEqual({ claims: 3, accepted: 0, rejected: 0 });
    expect(
      statuses.map((s) => [
        s.level,
        s.traceNumber,
        s.categoryCode,
        s.statusCode,
        s.payerClaimControlNumber,
        s.billType,
        s.chargeCents,
        s.serviceFromDate,
        s.serviceToDate,
        s.procedureCode,
      ]),
    ).toEqual([
      ['claim', 'ABCXYZ1', 'P3', '317', '05347006051', '111', 851388n, '2005-08-31', '2005-09-06', null],
      ['claim', 'ABCXYZ2', 'F0', '3', '0529675341', '111', 759900n, '2005-07-31', '2005-08-09', null],
      ['claim', 'ABCXYC3', 'F2', '88', '051681010827', null, 15000n, null, null, null],
      [
        'service_line',
        'ABCXYC3',
        'F2',
        '88',
        '051681010827',
        null,
        null,
        '2005-05-01',
        '2005-05-01',
        '99203',
      ],
    ]);
    expect(statuses[0]).toMatchObject({
      entityName: 'SMITH, FRED',
      entityCode: 'IL',
      hlId: '4',
      parentHlId: '3',
      version: '005010X212',
    });
  });

  it('counts A1 at the receiver as a receipt and A2/A7 at claim level as acceptance/rejection', async () => {
    const statuses: ClaimStatus[] = [];
    await parseX12File(path.join(corpus, 'imsweb/x12_277CA_accepted.txt'), {
      claimStatus: (s) => statuses.push(s),
    });
    expect(
      statuses.map((s) => [
        s.level,
        s.categoryCode,
        s.isAcceptance,
        s.isRejection,
        s.acceptedQuantity,
        s.acceptedAmountCents,
      ]),
    ).toEqual([
      ['information_receiver', 'A1', false, false, '1', 12500n],
      ['claim', 'A2', true, false, null, null],
    ]);
  });
});

describe('999 acknowledgments', () => {
  it('reads IK3/IK4 errors with their CTX, IK5 per set and AK9 per group (partially accepted)', () => {
    const text = [
      'ST*999*0001*005010X231A1~',
      'AK1*HC*17456*005010X222A1~',
      'AK2*837*0001*005010X222A1~',
      'IK5*A~',
      'AK2*837*0002*005010X222A1~',
      'IK3*NM1*22*2010BA*8~',
      'CTX*CLM01:PCN77~',
      'IK4*9*67*7*12345678901234~',
      'IK5*R*5~',
      'AK2*837*0003*005010X222A1~',
      'IK3*REF*40**3~',
      'IK5*E~',
      'AK9*P*3*3*2~',
      'SE*15*0001~',
    ].join('');
    const sets: AckTransactionSet[] = [];
    const groups: AckGroup[] = [];
    const errors: AckError[] = [];
    const result = parseX12Text(text, {
      ackTransactionSet: (s) => sets.push(s),
      ackGroup: (g) => groups.push(g),
      ackError: (e) => errors.push(e),
    });
    expect(result.totals999).toEqual({ transactionSets: 3, accepted: 2, rejected: 1 });
    expect(
      sets.map((s) => [
        s.ackTransactionControlNumber,
        s.ackCode,
        s.accepted,
        s.rejected,
        s.errorCount,
        s.syntaxErrorCodes,
        s.ackGroupControlNumber,
      ]),
    ).toEqual([
      ['0001', 'A', true, false, 0, null, '17456'],
      ['0002', 'R', false, true, 2, '5', '17456'],
      ['0003', 'E', true, false, 1, null, '17456'],
    ]);
    expect(
      errors.map((e) => [
        e.ackTransactionControlNumber,
        e.kind,
        e.segmentId,
        e.segmentPosition,
        e.loopId,
        e.errorCode,
        e.elementPosition,
        e.elementReference,
        e.badValue,
        e.context,
      ]),
    ).toEqual([
      ['0002', 'segment', 'NM1', '22', '2010BA', '8', null, null, null, 'CLM01:PCN77'],
      ['0002', 'element', 'NM1', '22', '2010BA', '7', '9', '67', '12345678901234', null],
      ['0003', 'segment', 'REF', '40', null, '3', null, null, null, null],
    ]);
    expect(groups).toMatchObject([
      {
        ackCode: 'P',
        transactionSetsIncluded: 3,
        transactionSetsReceived: 3,
        transactionSetsAccepted: 2,
        ackGroupControlNumber: '17456',
      },
    ]);
  });
});
