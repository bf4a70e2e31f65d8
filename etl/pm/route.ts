import type { EntityName } from './canonical.ts';
import { normalizeHeader } from './header.ts';

export interface RowRule {
  kind: 'keep' | 'drop';
  header: string;
  /** Values (upper case) or a pattern (case-insensitive): one of the two. */
  values: string[] | null;
  pattern: string | null;
  /** What the rows it leaves out are, for the load's warnings. */
  reason: string;
  /** A routing rule: tried before the others; `silent` ones leave out other entities' rows without a warning. */
  route?: boolean;
  silent?: boolean;
}

/** A file routed to several entities by a column's value: its profiles load it together, as one file. */
export interface Route {
  /** The column whose value routes a row; null for a split file (each entity's own rules choose its rows). */
  header: string | null;
  /** The profile ids of the file's entities, the first one leading (detected, recorded in raw.files). */
  members: string[];
  /** Every routed value (upper case) -> its entity. */
  values: Map<string, EntityName>;
  others: 'refuse' | 'drop';
}

/** What routing reads and changes of a profile (profile.ts's Profile has it all). */
interface Routable {
  id: string;
  entity: EntityName;
  columns: {
    header: string;
    optional: boolean;
    fields: unknown[];
    separator: string | null;
    values: Map<string, string> | null;
    keepOthers: boolean;
  }[];
  rowRules: RowRule[];
  route: Route | null;
}

/**
 * One file, several entities (a transaction ledger whose type column says charge, payment or adjustment): the
 * profiles of the routed entities become one group. Each keeps only its rows (a silent rule on the route
 * column); each knows every member's columns, so the header fits the group as a whole; the first member leads:
 * detection finds it, the loader loads the whole group from one file in one transaction.
 */
export function routeProfiles(
  spec: {
    column?: string;
    entities: Partial<Record<EntityName, (string | number | boolean)[]>>;
    others?: 'refuse' | 'drop';
  },
  name: string,
  profiles: Routable[],
  fail: (message: string) => never,
): void {
  const values = new Map<string, EntityName>();
  const members: Routable[] = [];
  for (const [entity, codes] of Object.entries(spec.entities) as [EntityName, string[]][]) {
    const member = profiles.find((profile) => profile.entity === entity);
    if (!member) fail(`route: entity ${entity} has no entry under entities`);
    members.push(member);
    for (const code of codes) {
      const key = String(code).trim().toUpperCase();
      const previous = values.get(key);
      if (previous) fail(`route: value ${code} goes to both ${previous} and ${entity}`);
      values.set(key, entity);
    }
  }
  if (members.length < 2) fail('route: name at least two entities');
  if (spec.column !== undefined && values.size === 0) fail('route: list the values of each entity');
  const route: Route = {
    header: spec.column ?? null,
    members: members.map((member) => member.id),
    values,
    others: spec.others ?? 'refuse',
  };
  const allColumns = members.flatMap((member) => member.columns);
  const column = spec.column;
  members.forEach((member, index) => {
    const known = new Set(member.columns.map((c) => normalizeHeader(c.header)));
    const groupColumns =
      column === undefined ? allColumns : [{ header: column, optional: false }, ...allColumns];
    for (const c of groupColumns) {
      if (known.has(normalizeHeader(c.header))) continue;
      known.add(normalizeHeader(c.header));
      member.columns.push({
        header: c.header,
        fields: [],
        separator: null,
        optional: c.optional,
        values: null,
        keepOthers: false,
      });
    }
    member.route = route;
    if (column === undefined) return;
    const own: RowRule = {
      kind: 'keep',
      header: column,
      values: [...values].filter(([, entity]) => entity === member.entity).map(([code]) => code),
      pattern: null,
      reason: `rows of the other entities of ${name}`,
      route: true,
      silent: true,
    };
    const nowhere: RowRule[] =
      index === 0 && route.others === 'drop'
        ? [
            {
              kind: 'keep',
              header: column,
              values: [...values.keys()],
              pattern: null,
              reason: `${column} routed to no entity`,
              route: true,
            },
          ]
        : [];
    member.rowRules = [...nowhere, own, ...member.rowRules];
  });
}
