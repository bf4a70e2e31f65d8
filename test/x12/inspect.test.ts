import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { runRcm } from '../helpers/run-rcm.ts';

const corpus = path.join(import.meta.dirname, '../fixtures/x12/corpus');

describe('rcm inspect FILE --json', () => {
  it('prints exactly the 835 fields, decimals as strings with two places, and exits 0 despite imbalances', () => {
    const { code, stdout } = runRcm([
      'inspect',
      path.join(corpus, 'affect-therapeutics/sample_835_with_interests.txt'),
      '--json',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual([
      'type',
      'version',
      'interchanges',
      'transactions',
      'claims',
      'service_lines',
      'total_paid',
      'claims_paid',
      'plb_total',
      'balanced',
      'imbalances',
      'warnings',
      'errors',
    ]);
    expect(result).toMatchObject({
      type: '835',
      version: '005010X221A1',
      interchanges: 1,
      transactions: 2,
      claims: 6,
      service_lines: 12,
      total_paid: '142.91',
      claims_paid: '142.91',
      plb_total: '-5.30',
      balanced: false,
      errors: [],
    });
    expect(result.imbalances).toHaveLength(2);
    expect(result.imbalances[1]).toEqual({
      level: 'transaction',
      transaction_control_number: '1001',
      location: expect.stringMatching(/^segment \d+ \(byte \d+\)$/),
      patient_control_number: null,
      rule: 'sum(CLP04) - sum(PLB) = BPR02',
      stated: '141.13',
      computed: '151.43',
      difference: '10.30',
    });
  });

  it('prints the 277CA and 999 fields', () => {
    const ca = JSON.parse(
      runRcm(['inspect', path.join(corpus, 'imsweb/x12_277CA_rejected.txt'), '--json']).stdout,
    );
    expect(ca).toEqual({
      type: '277CA',
      version: '005010X214',
      interchanges: 1,
      transactions: 1,
      claims: 1,
      accepted: 0,
      rejected: 1,
      warnings: [],
      errors: [],
    });
    const ack = JSON.parse(
      runRcm(['inspect', path.join(corpus, 'pyx12/834_lui_id_5010.999.txt'), '--json']).stdout,
    );
    expect(ack).toEqual({
      type: '999',
      version: '005010X231',
      interchanges: 1,
      transactions: 4,
      transaction_sets: 4,
      accepted: 4,
      rejected: 0,
      warnings: [],
      errors: [],
    });
  });

  it('exits non-zero with a clear message when the file is not X12', () => {
    const { code, stdout, stderr } = runRcm(['inspect', path.join(corpus, 'MANIFEST.tsv'), '--json']);
    expect(code).toBe(1);
    expect(JSON.parse(stdout).errors).toEqual([
      {
        code: 'x12.unreadable',
        location: 'segment 1 (byte 0)',
        message: expect.stringMatching(/^expected an ISA segment .*, found "file\\tsource_repo/),
      },
    ]);
    expect(stderr).toMatch(/could not be parsed: segment 1 \(byte 0\): expected an ISA segment/);
  });
});
