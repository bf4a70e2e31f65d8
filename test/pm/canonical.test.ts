import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANONICAL, canonicalSchemas, ENTITY_NAMES } from '../../etl/pm/canonical.ts';
import { canonicalReference } from '../../etl/pm/docs.ts';

describe('canonical model', () => {
  it('has a natural key and snapshot date made of its own fields', () => {
    for (const entity of ENTITY_NAMES) {
      const names = CANONICAL[entity].fields.map((field) => field.name);
      for (const key of CANONICAL[entity].naturalKey) expect(names).toContain(key);
      if (CANONICAL[entity].snapshotDate) expect(names).toContain(CANONICAL[entity].snapshotDate);
    }
  });

  it('validates canonical records with zod: required fields, exact money text, ISO dates', () => {
    const charge = {
      claim_id: 'C1',
      line_number: 1,
      patient_id: 'P1',
      service_date: '2024-01-05',
      cpt: '99213',
      charge_amount: '125.00',
      icd10_1: 'E11.9',
    };
    expect(canonicalSchemas.charges.safeParse(charge).success).toBe(true);
    expect(canonicalSchemas.charges.safeParse({ ...charge, charge_amount: 125 }).success).toBe(false);
    expect(canonicalSchemas.charges.safeParse({ ...charge, service_date: '01/05/2024' }).success).toBe(false);
    expect(canonicalSchemas.charges.safeParse({ ...charge, icd10_1: 'E119' }).success).toBe(false);
    const { cpt: _cpt, ...withoutCpt } = charge;
    expect(canonicalSchemas.charges.safeParse(withoutCpt).success).toBe(false);
  });

  it('is documented field for field in docs/inputs.md', () => {
    const docs = readFileSync('docs/inputs.md', 'utf8');
    expect(docs).toContain(canonicalReference());
  });
});

describe('docs/inputs.md worked example', () => {
  it('shows exactly the profile the tests load (test/fixtures/pm/profiles/frontdesk.yaml)', () => {
    const docs = readFileSync('docs/inputs.md', 'utf8');
    const shown = /```yaml\n(name: frontdesk\n[\s\S]*?)```/.exec(docs)?.[1];
    const fixture = readFileSync('test/fixtures/pm/profiles/frontdesk.yaml', 'utf8')
      .split('\n')
      .filter((line) => !line.startsWith('#'))
      .join('\n');
    expect(shown).toBe(fixture);
  });
});
