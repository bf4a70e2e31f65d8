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
  header: string;
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
    column: string;
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
  const route: Route = {
    header: spec.column,
    members: members.map((member) => member.id),
    values,
    others: spec.others ?? 'refuse',
  };
  const allColumns = members.flatMap((member) => member.columns);
  members.forEach((member, index) => {
    const own: RowRule = {
      kind: 'keep',
      header: spec.column,
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
              header: spec.column,
              values: [...values.keys()],
              pattern: null,
              reason: `${spec.column} routed to no entity`,
              route: true,
            },
          ]
        : [];
    member.rowRules = [...nowhere, own, ...member.rowRules];
    member.route = route;
    // Every member knows the group's columns (another member's column is not loaded by this one).
    const known = new Set(member.columns.map((column) => normalizeHeader(column.header)));
    for (const column of [{ header: spec.column, optional: false }, ...allColumns]) {
      if (known.has(normalizeHeader(column.header))) continue;
      known.add(normalizeHeader(column.header));
      member.columns.push({
        header: column.header,
        fields: [],
        separator: null,
        optional: column.optional,
        values: null,
        keepOthers: false,
      });
    }
  });
}
