import { describe, expect, it } from 'vitest';
import {
  BANK_DEPOSITS,
  CLEARINGHOUSE_REJECTIONS,
  type DialectColumn,
  PM_DIALECTS,
  PM_ENTITIES,
} from '../../etl/generate/dialects.ts';
import type { EntityName } from '../../etl/pm/canonical.ts';
import { loadProfiles, type Profile, ProfileError, resolveProfileFile } from '../../etl/pm/profile.ts';
import { moneyPattern, toStrptime } from '../../etl/pm/values-sql.ts';

const profiles = loadProfiles();
const byId = (id: string) => {
  const found = profiles.find((profile) => profile.id === id);
  if (!found) throw new Error(`no profile ${id}`);
  return found;
};

/** header -> the fields it feeds, as the profile and as the generator's dialect see it. */
const profileMapping = (profile: Profile) =>
  Object.fromEntries(
    profile.columns.map((column) => [column.header, column.fields.map((field) => field.name)]),
  );
const dialectMapping = (columns: readonly DialectColumn[]) =>
  Object.fromEntries(
    columns.map((column) => [
      column.header,
      column.procedure ? [column.procedure.cpt, ...column.procedure.modifiers] : [column.field as string],
    ]),
  );

describe('shipped profiles', () => {
  it('validate, one profile per entity of each source', () => {
    expect(profiles.map((profile) => profile.id)).toContain('canonical/charges');
    expect(profiles.filter((profile) => profile.name === 'canonical')).toHaveLength(12);
    expect(profiles.filter((profile) => profile.name === 'ledger')).toHaveLength(8);
    expect(profiles.filter((profile) => profile.name === 'compact')).toHaveLength(8);
  });

  it("map every column of the generator's dialects exactly as the generator writes it", () => {
    for (const dialect of ['ledger', 'compact'] as const) {
      for (const entity of PM_ENTITIES) {
        expect([dialect, entity, profileMapping(byId(`${dialect}/${entity}`))]).toEqual([
          dialect,
          entity,
          dialectMapping(PM_DIALECTS[dialect]?.entities[entity] ?? []),
        ]);
      }
    }
    expect(profileMapping(byId('clearinghouse/rejections'))).toEqual(
      dialectMapping(CLEARINGHOUSE_REJECTIONS.columns),
    );
    expect(profileMapping(byId('bank/deposits'))).toEqual(dialectMapping(BANK_DEPOSITS.columns));
  });

  it("read the generator's date, money and flag formats", () => {
    const ledger = byId('ledger/charges').format;
    expect(ledger.dates).toContain(PM_DIALECTS.ledger?.date);
    expect(ledger.money.negatives).toContain('parentheses');
    expect(ledger.booleans.true).toContain(PM_DIALECTS.ledger?.bool[0]);
    const compact = byId('compact/charges').format;
    expect(compact.dates).toContain(PM_DIALECTS.compact?.date);
    expect(compact.money.negatives).toContain('trailing_minus');
    expect(compact.booleans.false).toContain(PM_DIALECTS.compact?.bool[1]);
  });
});

describe('profile validation', () => {
  const base = { name: 'test', entities: {} as Record<string, unknown> };
  const resolve = (entities: Record<string, unknown>, extra: object = {}) =>
    resolveProfileFile({ ...base, ...extra, entities }, 'test.yaml');

  it('expands canonical columns and merges formats file < entity', () => {
    const [profile] = resolve(
      { deposits: { columns: 'canonical', format: { dates: ['DD.MM.YYYY'] } } },
      { format: { money: { decimal: ',', thousands: '.' } } },
    );
    expect(profile?.columns.map((column) => column.header)).toEqual([
      'transaction_id',
      'posting_date',
      'description',
      'amount',
      'reference',
      'type',
    ]);
    expect(profile?.format.dates).toEqual(['DD.MM.YYYY']);
    expect(profile?.format.money).toEqual({
      symbols: ['$'],
      thousands: '.',
      decimal: ',',
      negatives: ['minus'],
    });
  });

  it.each([
    [
      { deposits: { columns: { Id: 'transaction_id', Date: 'posting_dte', Amount: 'amount' } } },
      'posting_dte is not a field of deposits',
    ],
    [
      { deposits: { columns: { Id: 'transaction_id', Amount: 'amount' } } },
      'required fields without a column: posting_date',
    ],
    [
      {
        deposits: {
          columns: { Id: 'transaction_id', Date: 'posting_date', Amount: 'amount', Amt: 'amount' },
        },
      },
      'field amount is fed by two columns',
    ],
    [
      {
        deposits: {
          columns: {
            Id: 'transaction_id',
            Date: 'posting_date',
            Amount: { field: 'amount', optional: true },
          },
        },
      },
      'column "Amount" feeds required amount',
    ],
    [
      { invoices: { columns: 'canonical' } },
      'profile test.yaml is invalid: entities: unknown key "invoices" (expected one of: patients, providers, payers, locations, appointments, charges, payments, adjustments, transfers, rejections, deposits, fee_schedule)',
    ],
    [
      { deposits: { columns: 'canonical', format: { dates: ['MM/DD/YYYY', 'DD/MM/YYYY'] } } },
      'date formats %m/%d/%Y and %d/%m/%Y read the same dates differently: keep one',
    ],
  ])('refuses an invalid profile with the reason (%#)', (entities, reason) => {
    expect(() => resolve(entities as Record<string, unknown>)).toThrow(ProfileError);
    expect(() => resolve(entities as Record<string, unknown>)).toThrow(reason);
  });
});

describe('format notation', () => {
  it('translates date formats to strptime', () => {
    expect(toStrptime('MM/DD/YYYY')).toBe('%m/%d/%Y');
    expect(toStrptime('MM/DD/YYYY hh:mm AM')).toBe('%m/%d/%Y %I:%M %p');
    expect(toStrptime('YYYYMMDD HH:mm')).toBe('%Y%m%d %H:%M');
    expect(toStrptime('%d.%m.%Y')).toBe('%d.%m.%Y');
  });

  it('builds a money pattern accepting exactly the configured negatives', () => {
    const entity: EntityName = 'payments';
    const format = byId(`ledger/${entity}`).format;
    const pattern = new RegExp(moneyPattern(format.money));
    for (const ok of ['$1,234.56', '(12.00)', '($1,234.00)', '-12.00', '0', '.5', '1234.5'])
      expect(pattern.test(ok)).toBe(true);
    for (const bad of ['12.00-', '1,23.00', '$$1', '(12.00', '1.2.3', '12.345', 'abc', ''])
      expect(pattern.test(bad)).toBe(false);
  });
});
