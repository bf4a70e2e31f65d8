import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BANK_DEPOSITS, CLEARINGHOUSE_REJECTIONS, PM_DIALECTS } from '../../etl/generate/dialects.ts';
import { generate, type Manifest, type MonthTotals } from '../../etl/generate/index.ts';
import { cents, check835, readCsv, readX12, walk } from './check.ts';

const OPTIONS = {
  practices: 3,
  providersPerPractice: 3,
  months: 8,
  visitsPerProviderDay: 4,
  seed: 'test-seed',
};

let root: string;
let out: string;
let manifest: Manifest;

beforeAll(async () => {
  root = mkdtempSync(join(tmpdir(), 'rcm-generate-'));
  out = join(root, 'a');
  manifest = await generate({ ...OPTIONS, outDir: out });
});

afterAll(() => {
  rmSync(root, { recursive: true, force: true });
});

function hashes(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of walk(dir))
    m.set(relative(dir, f), createHash('sha256').update(readFileSync(f)).digest('hex'));
  return m;
}

/** 'YYYY-MM' from any of the dialects' date formats. */
function monthOf(text: string): string {
  if (/^\d{4}-\d{2}-\d{2}/.test(text)) return text.slice(0, 7);
  if (/^\d{2}\/\d{2}\/\d{4}/.test(text)) return `${text.slice(6, 10)}-${text.slice(0, 2)}`;
  if (/^\d{8}/.test(text)) return `${text.slice(0, 4)}-${text.slice(4, 6)}`;
  throw new Error(`not a date: ${text}`);
}

/** Rows of a CSV as canonical-field objects, using the dialect's header → field map; checks the totals row. */
function readRows(
  path: string,
  columns: readonly { header: string; field?: string }[],
  totalsLabel: string | null,
): Record<string, string>[] {
  const rows = readCsv(path);
  const header = rows[0] as string[];
  expect(header).toEqual(columns.map((c) => c.header));
  let body = rows.slice(1);
  let totals: string[] | null = null;
  if (totalsLabel !== null) {
    totals = body[body.length - 1] as string[];
    expect(totals[0]).toBe(totalsLabel);
    body = body.slice(0, -1);
  }
  const objs = body.map((r) => {
    expect(r.length).toBe(header.length);
    const o: Record<string, string> = {};
    columns.forEach((c, i) => {
      o[c.field ?? c.header] = r[i] as string;
    });
    return o;
  });
  if (totals) {
    // Every money column's totals cell equals the sum of its rows.
    columns.forEach((c, i) => {
      const cell = (totals as string[])[i] as string;
      if (i === 0 || cell === '') return;
      const sum = objs.reduce((s, o) => s + cents(o[c.field ?? c.header] as string), 0);
      expect(cents(cell), `${basename(path)} ${c.header} total`).toBe(sum);
    });
  }
  return objs;
}

function totalsFor(practice: string): Map<string, MonthTotals> {
  return new Map(manifest.totals.filter((t) => t.practice_id === practice).map((t) => [t.month, t]));
}

const add = (m: Map<string, number>, k: string, v: number) => m.set(k, (m.get(k) ?? 0) + v);
const nonZero = (m: Map<string, number>) => new Map([...m].filter(([, v]) => v !== 0).sort());

describe('generate: determinism', () => {
  it('gives byte-identical output for the same seed and options, and different data for another seed', async () => {
    const again = join(root, 'b');
    await generate({ ...OPTIONS, outDir: again });
    const a = hashes(out);
    const b = hashes(again);
    expect([...b.keys()]).toEqual([...a.keys()]);
    for (const [k, v] of a) expect(b.get(k), k).toBe(v);

    const other = join(root, 'c');
    await generate({ ...OPTIONS, seed: 'another-seed', outDir: other });
    const c = hashes(other);
    const same = [...a].filter(([k, v]) => c.get(k) === v).map(([k]) => k);
    // Only the fixed payer list may coincide; every data file must differ.
    expect(same.filter((k) => !k.includes('/payers'))).toEqual([]);
    rmSync(again, { recursive: true, force: true });
    rmSync(other, { recursive: true, force: true });
  });

  it('gives byte-identical output in the txledger, cms1500 and openemr shapes too', async () => {
    const shapes = {
      ...OPTIONS,
      months: 2,
      providersPerPractice: 1,
      dialects: ['txledger', 'cms1500', 'openemr'] as const,
    };
    const first = join(root, 'shapes-a');
    const second = join(root, 'shapes-b');
    await generate({ ...shapes, dialects: [...shapes.dialects], outDir: first });
    await generate({ ...shapes, dialects: [...shapes.dialects], outDir: second });
    const a = hashes(first);
    expect([...a.keys()].filter((k) => /transactions_|claims_|billing_|ar_activity_/.test(k)).length).toBe(
      10,
    );
    expect(hashes(second)).toEqual(a);
    rmSync(first, { recursive: true, force: true });
    rmSync(second, { recursive: true, force: true });
  });

  it('refuses a non-empty folder unless asked to overwrite a previous output', async () => {
    await expect(generate({ ...OPTIONS, outDir: out })).rejects.toThrow(/not empty/);
  });

  it('validates options', async () => {
    await expect(generate({ outDir: join(root, 'x'), months: 0 })).rejects.toThrow();
    await expect(generate({ outDir: join(root, 'x'), startDate: '2025-02-30' })).rejects.toThrow();
    // @ts-expect-error unknown option
    await expect(generate({ outDir: join(root, 'x'), bogus: 1 })).rejects.toThrow();
  });
});

describe('generate: X12 files', () => {
  it('every 835 has correct envelope counts and balances at line, claim and transaction level', () => {
    let files = 0;
    let reversals = 0;
    let claimLevelCas = 0;
    const plbCodes = new Set<string>();
    for (const f of walk(out).filter((p) => p.endsWith('.835'))) {
      const text = readFileSync(f, 'utf8');
      const r = check835(text);
      expect(r.errors, f).toEqual([]);
      expect(r.bpr).toBeGreaterThanOrEqual(0);
      expect(r.paymentDate).toMatch(/^\d{8}$/);
      reversals += r.claims.filter((c) => c.status === '22').length;
      claimLevelCas += (text.match(/~\n?CLP\*[^~]*~\n?CAS\*/g) ?? []).length;
      for (const m of text.matchAll(/PLB\*[^~]*/g))
        for (const p of m[0].matchAll(/\*([A-Z0-9]{2}):/g)) plbCodes.add(p[1] as string);
      files++;
    }
    expect(files).toBeGreaterThan(100);
    expect(reversals).toBeGreaterThan(0);
    expect(claimLevelCas).toBeGreaterThan(0);
    expect([...plbCodes].sort()).toEqual(expect.arrayContaining(['FB', 'L6', 'WO']));
  });

  it("secondary payers: Medicare's crossovers (CLP02 = 19, NM1*TT) and the secondaries' own 835s (CLP02 = 2) as the manifest counts them", () => {
    const found = { crossover: 0, secondary: 0, secondaryPaid: 0, withCarrier: 0 };
    // claims each practice's payers remitted as primary (status 1 or 19), to find every secondary's primary
    const primary = new Set<string>();
    const secondaries: { practice: string; claim: string; file: string }[] = [];
    for (const f of walk(out).filter((p) => p.endsWith('.835'))) {
      const practice = relative(out, f).split('/')[0] as string;
      const text = readFileSync(f, 'utf8');
      for (const c of check835(text).claims) {
        if (c.status === '1' || c.status === '19') primary.add(`${practice}|${c.id}`);
        if (c.status === '19') found.crossover++;
        if (c.status === '2') {
          found.secondary++;
          found.secondaryPaid += c.paid;
          secondaries.push({ practice, claim: c.id, file: f });
        }
      }
      found.withCarrier += (
        text.match(
          /~\n?CLP\*[^*~]*\*19\*[^~]*~(\n?NM1\*(QC|82)\*[^~]*~)*\n?NM1\*TT\*2\*EVERGREEN MEDIGAP\*\*\*\*\*PI\*EVMG1~/g,
        ) ?? []
      ).length;
    }
    const total = (pick: (t: MonthTotals) => number) => manifest.totals.reduce((s, t) => s + pick(t), 0);
    expect(found.crossover).toBeGreaterThan(0);
    expect(found.secondary).toBeGreaterThan(0);
    expect(found.crossover).toBe(total((t) => t.era.claims_crossover));
    expect(found.withCarrier).toBe(found.crossover);
    expect(found.secondary).toBe(total((t) => t.era.claims_secondary));
    expect(found.secondaryPaid).toBe(total((t) => t.era.paid_secondary_cents));
    // a secondary only ever remits a claim its primary remitted first
    for (const s of secondaries) expect(primary.has(`${s.practice}|${s.claim}`), s.file).toBe(true);
  });

  it('every 999 and 277CA has correct envelope counts and consistent acknowledgement codes', () => {
    for (const f of walk(out).filter((p) => p.endsWith('.999') || p.endsWith('.277'))) {
      const x = readX12(readFileSync(f, 'utf8'));
      expect(x.errors, f).toEqual([]);
      if (f.endsWith('.999')) {
        const ik5 = x.segments.filter((s) => s.id === 'IK5').map((s) => s.el[1]);
        const ak9 = x.segments.find((s) => s.id === 'AK9')?.el as string[];
        const accepted = ik5.filter((c) => c === 'A').length;
        expect(Number(ak9[2])).toBe(ik5.length);
        expect(Number(ak9[4])).toBe(accepted);
        expect(ak9[1]).toBe(accepted === ik5.length ? 'A' : accepted === 0 ? 'R' : 'P');
      } else {
        const stc = x.segments
          .filter((s) => s.id === 'STC')
          .map((s) => (s.el[1] as string).split(x.component)[0]);
        expect(stc[0]).toBe('A1');
        for (const c of stc.slice(1)) expect(['A2', 'A3', 'A6', 'A7']).toContain(c);
      }
    }
  });
});

describe('generate: manifest totals equal the files', () => {
  it('PM exports, 835s, acknowledgements and bank deposits sum to the manifest, per practice and month', () => {
    expect(manifest.practices.map((p) => p.pm_dialect)).toEqual(['canonical', 'ledger', 'compact']);
    for (const p of manifest.practices) {
      const dir = join(out, p.practice_id);
      const dialect = PM_DIALECTS[p.pm_dialect] as (typeof PM_DIALECTS)[string];
      const expected = totalsFor(p.practice_id);
      const files = walk(dir);
      const pick = (prefix: string) => files.filter((f) => f.includes(`${p.practice_id}/${prefix}`));

      const charges = new Map<string, number>();
      const lines = new Map<string, number>();
      for (const f of pick('pm/charges')) {
        for (const r of readRows(f, dialect.entities.charges, dialect.totalsLabel)) {
          add(charges, monthOf(r.service_date as string), cents(r.charge_amount as string));
          add(lines, monthOf(r.service_date as string), 1);
        }
      }
      const payer = new Map<string, number>();
      const patient = new Map<string, number>();
      for (const f of pick('pm/payments')) {
        for (const r of readRows(f, dialect.entities.payments, dialect.totalsLabel)) {
          add(
            r.payment_source === 'payer' ? payer : patient,
            monthOf(r.posted_date as string),
            cents(r.amount as string),
          );
        }
      }
      const adjustments = new Map<string, number>();
      for (const f of pick('pm/adjustments')) {
        for (const r of readRows(f, dialect.entities.adjustments, dialect.totalsLabel)) {
          add(
            adjustments,
            `${monthOf(r.posted_date as string)} ${r.adjustment_type}`,
            cents(r.amount as string),
          );
        }
      }
      const era = new Map<string, number>();
      for (const f of pick('era/')) {
        const r = check835(readFileSync(f, 'utf8'));
        const m = `${r.paymentDate.slice(0, 4)}-${r.paymentDate.slice(4, 6)}`;
        add(era, `${m} paid`, r.paid);
        add(era, `${m} plb`, r.plb);
        add(era, `${m} bpr`, r.bpr);
        add(era, `${m} files`, 1);
        add(era, `${m} claims`, r.claims.length);
        for (const [g, v] of Object.entries(r.cas)) add(era, `${m} cas ${g}`, v);
      }
      const bank = new Map<string, number>();
      for (const f of pick('bank/')) {
        for (const r of readRows(f, BANK_DEPOSITS.columns, null))
          add(bank, monthOf(r.posting_date as string), cents(r.amount as string));
      }
      const ca = new Map<string, number>();
      for (const f of pick('clearinghouse/277CA_')) {
        const x = readX12(readFileSync(f, 'utf8'));
        const date = x.segments.find((s) => s.id === 'DTP' && s.el[1] === '009')?.el[3] as string;
        const m = `${date.slice(0, 4)}-${date.slice(4, 6)}`;
        for (const s of x.segments.filter((s) => s.id === 'STC').slice(1)) {
          add(ca, `${m} ${(s.el[1] as string).startsWith('A2') ? 'accepted' : 'rejected'}`, 1);
        }
      }
      const rej = new Map<string, number>();
      for (const f of pick('clearinghouse/rejections')) {
        for (const r of readRows(f, CLEARINGHOUSE_REJECTIONS.columns, null))
          add(rej, `${monthOf(r.rejection_date as string)} ${r.source}`, 1);
      }

      const want = (fn: (t: MonthTotals) => [string, number][]) => {
        const m = new Map<string, number>();
        for (const [, t] of expected) for (const [k, v] of fn(t)) add(m, k, v);
        return nonZero(m);
      };
      expect(nonZero(charges)).toEqual(want((t) => [[t.month, t.pm.charges_cents]]));
      expect(nonZero(lines)).toEqual(want((t) => [[t.month, t.pm.charge_lines]]));
      expect(nonZero(payer)).toEqual(want((t) => [[t.month, t.pm.payer_payments_cents]]));
      expect(nonZero(patient)).toEqual(want((t) => [[t.month, t.pm.patient_payments_cents]]));
      expect(nonZero(adjustments)).toEqual(
        want((t) => Object.entries(t.pm.adjustments_cents).map(([k, v]) => [`${t.month} ${k}`, v])),
      );
      expect(nonZero(era)).toEqual(
        want((t) => [
          [`${t.month} paid`, t.era.paid_cents],
          [`${t.month} plb`, t.era.plb_cents],
          [`${t.month} bpr`, t.era.bpr_cents],
          [`${t.month} files`, t.era.files],
          [`${t.month} claims`, t.era.claims],
          ...Object.entries(t.era.cas_cents).map(([g, v]) => [`${t.month} cas ${g}`, v] as [string, number]),
        ]),
      );
      expect(nonZero(bank)).toEqual(want((t) => [[t.month, t.bank.deposits_cents]]));
      expect(nonZero(ca)).toEqual(
        want((t) => [
          [`${t.month} accepted`, t.clearinghouse.claims_accepted_277ca],
          [`${t.month} rejected`, t.clearinghouse.claims_rejected_277ca],
        ]),
      );
      expect(nonZero(rej)).toEqual(
        want((t) => [
          [`${t.month} 277CA`, t.clearinghouse.claims_rejected_277ca],
          [`${t.month} 999`, t.clearinghouse.claims_rejected_999],
        ]),
      );
    }
  });

  it('lists every file it wrote with its size and a modification time taken from the data', () => {
    const listed = new Map(manifest.files.map((f) => [f.path, f]));
    const onDisk = walk(out).filter((f) => !f.endsWith('manifest.json'));
    expect(onDisk.length).toBe(listed.size);
    for (const f of onDisk) {
      const entry = listed.get(relative(out, f));
      expect(entry?.bytes, f).toBe(readFileSync(f).length);
      expect(statSync(f).mtimeMs, f).toBe(Date.parse(entry?.modified as string));
      expect((entry?.modified as string) <= `${manifest.period.as_of}T23:59:59Z`, f).toBe(true);
    }
    // An 835 is produced the day before its payment date.
    const era = manifest.files.find((f) => f.kind === 'era_835');
    const pay = /_(\d{4})(\d{2})(\d{2})_/.exec(era?.path as string) as RegExpExecArray;
    expect(
      Date.parse(`${pay[1]}-${pay[2]}-${pay[3]}T00:00:00Z`) - Date.parse(era?.modified as string),
    ).toBeGreaterThan(0);
  });
});

describe('generate: planted anomalies and canaries', () => {
  const paymentsOf = (practice: string) => {
    const p = manifest.practices.find((x) => x.practice_id === practice);
    const dialect = PM_DIALECTS[p?.pm_dialect as string] as (typeof PM_DIALECTS)[string];
    return walk(join(out, practice))
      .filter((f) => f.includes('/pm/payments'))
      .flatMap((f) => readRows(f, dialect.entities.payments, dialect.totalsLabel));
  };

  it('plants every kind of anomaly in every practice', () => {
    for (const p of manifest.practices) {
      const kinds = new Set(
        manifest.anomalies.filter((a) => a.practice_id === p.practice_id).map((a) => a.type),
      );
      expect([...kinds].sort()).toEqual(
        [
          'deposit_mismatch',
          'em_outlier',
          'era_not_posted',
          'overpayment_recovery',
          'posting_error',
          'reversal_forward_balance',
          'underpayment',
          'vendor_change',
        ].sort(),
      );
    }
  });

  it('leaves unposted ERAs out of the PM, keys the posting error, and mismatches one deposit', () => {
    for (const a of manifest.anomalies) {
      const dir = join(out, a.practice_id);
      if (a.type === 'era_not_posted') {
        const r = check835(readFileSync(join(dir, a.era_file as string), 'utf8'));
        expect(r.bpr).toBe(a.bpr_cents);
        expect(paymentsOf(a.practice_id).filter((p) => p.reference_number === a.trace_number)).toEqual([]);
      }
      if (a.type === 'posting_error') {
        const rows = paymentsOf(a.practice_id).filter(
          (p) => p.claim_id === a.claim_id && p.reference_number === a.trace_number,
        );
        expect(rows.map((p) => cents(p.amount as string))).toEqual([a.posted_cents]);
      }
      if (a.type === 'deposit_mismatch') {
        const r = check835(readFileSync(join(dir, a.era_file as string), 'utf8'));
        expect(r.bpr).toBe(a.bpr_cents);
        const dep = walk(join(dir, 'bank'))
          .flatMap((f) => readRows(f, BANK_DEPOSITS.columns, null))
          .filter((d) => d.reference === a.trace_number);
        expect(dep.map((d) => cents(d.amount as string))).toEqual([a.deposit_cents]);
        expect(a.deposit_cents).not.toBe(a.bpr_cents);
      }
      if (a.type === 'underpayment') expect(a.affected_lines as number).toBeGreaterThan(0);
    }
  });

  it('ties every other EFT remittance to a bank deposit of exactly BPR02 on the payment date', () => {
    const mismatched = new Set(
      manifest.anomalies.filter((a) => a.type === 'deposit_mismatch').map((a) => a.trace_number),
    );
    for (const p of manifest.practices) {
      const dir = join(out, p.practice_id);
      const deposits = new Map(
        walk(join(dir, 'bank'))
          .flatMap((f) => readRows(f, BANK_DEPOSITS.columns, null))
          .map((d) => [d.reference, d]),
      );
      for (const f of walk(join(dir, 'era'))) {
        const text = readFileSync(f, 'utf8');
        if (!text.includes('*ACH*')) continue;
        const r = check835(text);
        if (mismatched.has(r.trace)) continue;
        const d = deposits.get(r.trace) as Record<string, string>;
        expect(d, r.trace).toBeDefined();
        expect(cents(d.amount as string)).toBe(r.bpr);
        const [mm, dd, yyyy] = (d.posting_date as string).split('/');
        expect(`${yyyy}${mm}${dd}`).toBe(r.paymentDate);
      }
    }
  });

  it('lists canary PHI values that really occur in the raw files', () => {
    expect(manifest.canaries.length).toBe(3 * 6 * OPTIONS.practices);
    for (const c of manifest.canaries.filter((x) => x.field === 'member_id')) {
      const eras = walk(join(out, c.practice_id, 'era')).map((f) => readFileSync(f, 'utf8'));
      expect(
        eras.some((t) => t.includes(c.value)),
        c.value,
      ).toBe(true);
    }
  });
});

describe('generate: an as-of date on the last day of service', () => {
  it('leaves a claim entered by then but first submitted after it without submission dates', async () => {
    const dir = join(root, 'as-of-end');
    const asOf = '2026-01-31';
    const m = await generate({
      practices: 1,
      providersPerPractice: 1,
      months: 1,
      startDate: '2026-01-01',
      asOf,
      seed: 'as-of-end',
      outDir: dir,
    });
    expect(m.period).toEqual({ start: '2026-01-01', end: asOf, as_of: asOf });
    const dialect = PM_DIALECTS.canonical as (typeof PM_DIALECTS)[string];
    const insured = walk(dir)
      .filter((f) => f.includes('/pm/charges'))
      .flatMap((f) => readRows(f, dialect.entities.charges, dialect.totalsLabel))
      .filter((r) => r.payer_id !== 'SELF');
    // A claim is first sent the day it is entered or the next: one entered on the as-of day may not be sent yet.
    const unsent = insured.filter(
      (r) => (r.claim_created_date as string) <= asOf && r.claim_submitted_date === '',
    );
    expect(unsent.length).toBeGreaterThan(0);
    expect(unsent.every((r) => r.last_submitted_date === '' && r.resubmission_count === '')).toBe(true);
    expect(insured.filter((r) => (r.claim_submitted_date as string) > asOf)).toEqual([]);
    for (const f of walk(dir).filter((p) => p.endsWith('.835')))
      expect(check835(readFileSync(f, 'utf8')).errors, f).toEqual([]);
  });
});

describe('generate: a later as-of date', () => {
  it('leaves the files of earlier days as they were, so that a daily feed only adds and re-exports', async () => {
    // The last day of service, then three days later: claims entered after the first as-of day and a batch
    // whose 277CA falls after it must not change what either generation wrote up to it.
    const base = {
      practices: 1,
      providersPerPractice: 2,
      months: 3,
      startDate: '2026-01-01',
      visitsPerProviderDay: 6,
      seed: 'as-of-later',
    };
    const asOf = '2026-03-31';
    const a = join(root, 'as-of-a');
    const b = join(root, 'as-of-b');
    const ma = await generate({ ...base, asOf, outDir: a });
    const mb = await generate({ ...base, asOf: '2026-04-03', outDir: b });
    const later = new Map(mb.files.map((f) => [f.path, f]));
    const ha = hashes(a);
    const hb = hashes(b);
    const dialect = PM_DIALECTS.canonical as (typeof PM_DIALECTS)[string];
    let compared = 0;
    for (const f of ma.files) {
      const g = later.get(f.path);
      expect(g, f.path).toBeDefined();
      if (g?.modified !== f.modified) {
        // Re-exported on a later day: the PM's open month and master data, the bank's and the rejections' month.
        expect(f.path).toMatch(/\/(pm|bank|contracts)\/|\/clearinghouse\/rejections_/);
        expect(f.modified.slice(0, 10), f.path).toBe(asOf);
        continue;
      }
      compared++;
      if (ha.get(f.path) === hb.get(f.path)) continue;
      // A closed month's charges export shows each claim's submissions up to the as-of day: a resubmission after
      // the first as-of day is all that may differ.
      expect(f.path, f.path).toMatch(/\/pm\/charges_/);
      const before = readRows(join(a, f.path), dialect.entities.charges, dialect.totalsLabel);
      const after = readRows(join(b, f.path), dialect.entities.charges, dialect.totalsLabel);
      expect(after.length).toBe(before.length);
      before.forEach((row, i) => {
        const next = after[i] as Record<string, string>;
        if (next.last_submitted_date === row.last_submitted_date) expect(next).toEqual(row);
        else {
          expect((next.last_submitted_date as string) > asOf, f.path).toBe(true);
          expect({ ...next, last_submitted_date: '', resubmission_count: '' }).toEqual({
            ...row,
            last_submitted_date: '',
            resubmission_count: '',
          });
        }
      });
    }
    // Every X12 file and every closed month's export was compared.
    expect(compared).toBeGreaterThan(ma.files.length * 0.85);
  });
});
