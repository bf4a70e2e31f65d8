import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { CANONICAL, ENTITY_NAMES } from '../../etl/pm/canonical.ts';
import { canonicalReference } from '../../etl/pm/docs.ts';

describe('canonical model', () => {
  it('has a natural key and snapshot date made of its own fields', () => {
    for (const entity of ENTITY_NAMES) {
      const names = CANONICAL[entity].fields.map((field) => field.name);
      for (const key of CANONICAL[entity].naturalKey) expect(names).toContain(key);
      if (CANONICAL[entity].snapshotDate) expect(names).toContain(CANONICAL[entity].snapshotDate);
    }
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
