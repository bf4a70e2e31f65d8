import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { type DuckDBConnection, DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { CANONICAL, ENTITY_NAMES, sqlTypes } from '../../etl/pm/canonical.ts';
import {
  MIGRATION_IDS,
  migrate,
  migrationFile,
  migrations,
  sqlStatements,
} from '../../etl/warehouse/migrations.ts';
import { sqlType, x12RawTables } from '../../etl/x12/raw-tables.ts';
import { applyAsOldCode, FIRST_RELEASE_FILES } from '../helpers/old-warehouse.ts';

/**
 * The sha256 of every released migration file. A released migration never changes: warehouses that recorded
 * its id will not run it again, so an edit would make new warehouses differ from old ones. Change `raw` with a
 * new numbered file and add its hash here.
 */
const RELEASED: Record<string, string> = {
  '0001_file_registry': 'ff58fbf2ffa168c0e83daf11cf0ebe824e8c011cb7dd025c1d2056b93c518c88',
  '0002_era_remittances_and_claims': 'f9119285a4e5c985f6d6365d1f20d0e75330c147f213cbb60e5362c6bebaa452',
  '0003_x12_engine_tables': '51477d6d326a9469c22281fa30238d7d989fe4d22151a8c9f02e79f75d6383a6',
  '0004_exact_quantities': '149432aa3780ec5a2e15e0ca1b1c20fc4a7e368a2b9ce41cce8122db55886e99',
  '0010_pm_raw_tables': 'c63f129cc3fcc6a2e1a67e677eb30ea6c3c418cd7868c2d4b51fcadd387b93a6',
  '0011_run_log': '88ded86d27783e10b46a80b1817d65814c805c04aeac4ac57c300648b8f4aa62',
  '0013_pm_snapshot_mode': 'c437e7942dcdd764da412755e54dac0d95720acfe7fd0f7bbfad7c892064644b',
  '0014_pm_exports_per_entity': '0d310b32e537f938fd1c7451cf707620dc5f35f2e0f789b9bfcf9e813e8a0625',
  '0015_pm_transfers': 'd4babe18da0518e294c85f488cc269a2c6e5eb55cb3304a41f1276fc63acb6dc',
  '0016_claim_837': '8dad2cbd75bf4bd95d7f181882fee6ce57512f35300efbadcd7ae37d0fadabf9',
  '0017_pm_left_out_rows': '61779667ba2536b8b2db1c1eb25b3d0321e4725f8fa9320aff71a740bdc58d38',
  '0018_drop_snapshot_views': 'f108390653dc516c89852a22e0408536cca1026f4f856c7efb0ee6454fedb0b1',
  '0019_warehouse_keys': '9caa4d1c0b41d85011b48ea079448d8fed7ead3be1acfabdc0bd03ad38ab2b1d',
  '0020_inbox_file_hashes': 'e80cfeb6365feb17c2fdfb9d06a54db93fd8541e6182d16d4703fba03f8b1521',
};

async function withDatabase<T>(work: (connection: DuckDBConnection) => Promise<T>): Promise<T> {
  const instance = await DuckDBInstance.create(':memory:');
  const connection = await instance.connect();
  try {
    return await work(connection);
  } finally {
    connection.closeSync();
    instance.closeSync();
  }
}

/** Everything about `raw` a loader, a view or dbt can depend on. */
async function rawSchema(connection: DuckDBConnection) {
  const read = async (sql: string) => (await connection.runAndReadAll(sql)).getRows();
  return {
    columns: await read(
      `select table_name, column_index, column_name, data_type, is_nullable, column_default
         from duckdb_columns() where schema_name = 'raw' order by table_name, column_index`,
    ),
    views: await read(`select view_name, sql from duckdb_views() where schema_name = 'raw' order by 1`),
    constraints: await read(
      `select table_name, constraint_type, constraint_column_names, constraint_text from duckdb_constraints()
        where schema_name = 'raw' order by all`,
    ),
    sequences: await read(
      `select sequence_name, start_value, increment_by, min_value, max_value, cycle
         from duckdb_sequences() where schema_name = 'raw' order by 1`,
    ),
    indexes: await read(
      `select index_name, table_name, sql from duckdb_indexes() where schema_name = 'raw' order by 1`,
    ),
    migrations: await read('select migration_id from raw.schema_migrations order by 1'),
  };
}

let fresh: ReturnType<typeof rawSchema> | undefined;
function freshSchema() {
  fresh ??= withDatabase(async (connection) => {
    await migrate(connection);
    return rawSchema(connection);
  });
  return fresh;
}

/** Line endings normalised, so a checkout that converts them does not count as a change. */
const sha256 = (file: string) =>
  createHash('sha256').update(readFileSync(file, 'utf8').replaceAll('\r\n', '\n')).digest('hex');

describe('migrations', () => {
  it('are the committed files, in strictly increasing number order', () => {
    const files = readdirSync(path.dirname(fileURLToPath(migrationFile('x')))).sort();
    expect(files).toEqual(MIGRATION_IDS.map((id) => `${id}.sql`));
    const numbers = MIGRATION_IDS.map((id) => Number(id.slice(0, 4)));
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    expect(new Set(numbers).size).toBe(numbers.length);
    expect(migrations.map((m) => m.id)).toEqual(MIGRATION_IDS);
  });

  it('never change once released', () => {
    const hashes = Object.fromEntries(
      MIGRATION_IDS.map((id) => [id, sha256(fileURLToPath(migrationFile(id)))]),
    );
    expect(hashes).toEqual(RELEASED);
  });

  it('leave raw with tables only: the snapshot views of 0010 are dropped (dbt staging applies the rules)', async () => {
    const { views } = await freshSchema();
    expect(views).toEqual([]);
    // 0010 still creates them on the way, so the drop is what removes them
    const afterPmTables = await withDatabase(async (connection) => {
      await connection.run('create schema raw');
      for (const migration of migrations.filter((m) => m.id <= '0010_pm_raw_tables'))
        for (const statement of migration.statements) await connection.run(statement);
      const views = "select count(*) from duckdb_views() where schema_name = 'raw'";
      return (await connection.runAndReadAll(views)).getRows()[0]?.[0];
    });
    expect(afterPmTables).toBe(22n);
  });

  it('create the tables the column catalogues describe, column for column', async () => {
    const { columns } = await freshSchema();
    const actual = (table: string) =>
      columns
        .filter((row) => row[0] === table)
        .map((row) => [row[2], String(row[3]).toLowerCase(), row[4] === false]);
    for (const table of x12RawTables) {
      expect(actual(table.name), table.name).toEqual(
        table.columns.map((column) => [column.name, sqlType(column.type), column.notNull === true]),
      );
    }
    for (const name of ENTITY_NAMES) {
      const entity = CANONICAL[name];
      expect(actual(entity.table), entity.table).toEqual([
        ['practice_id', 'varchar', true],
        ['file_id', 'bigint', true],
        ['line_no', 'bigint', true],
        ...entity.fields.map((field) => [field.name, sqlTypes[field.type], field.required]),
      ]);
    }
  });

  it('upgrade a first-release warehouse (quantities as DOUBLE, 0010 before 0004) to the fresh schema', async () => {
    const upgraded = await withDatabase(async (connection) => {
      await applyAsOldCode(connection, FIRST_RELEASE_FILES);
      const before = await rawSchema(connection);
      expect(before.columns).toContainEqual([
        'era_service_lines',
        expect.anything(),
        'units',
        'DOUBLE',
        true,
        null,
      ]);
      await migrate(connection);
      return rawSchema(connection);
    });
    expect(upgraded).toEqual(await freshSchema());
  });

  it('leave a warehouse of the code before freezing (0001, 0002, 0003, 0010, 0004) as a fresh one', async () => {
    const upgraded = await withDatabase(async (connection) => {
      await applyAsOldCode(
        connection,
        [
          '0001_file_registry',
          '0002_era_remittances_and_claims',
          '0003_x12_engine_tables',
          '0010_pm_raw_tables',
          '0004_exact_quantities',
        ].map((id) => fileURLToPath(migrationFile(id))),
      );
      await migrate(connection);
      return rawSchema(connection);
    });
    expect(upgraded).toEqual(await freshSchema());
  });

  it("make each warehouse's account-reference key once: 256 random bits, kept by every later open, its own", async () => {
    const keys = async (connection: DuckDBConnection) =>
      (
        await connection.runAndReadAll('select key_name, key_value from raw.warehouse_keys order by 1')
      ).getRows();
    const [first, again, other] = await withDatabase(async (connection) => {
      await migrate(connection);
      const first = await keys(connection);
      await migrate(connection);
      const again = await keys(connection);
      const other = await withDatabase(async (second) => {
        await migrate(second);
        return keys(second);
      });
      return [first, again, other];
    });
    expect(first).toHaveLength(1);
    expect(first[0]?.[0]).toBe('account_ref');
    expect(String(first[0]?.[1])).toMatch(/^[0-9a-f]{64}$/);
    expect(again).toEqual(first);
    expect(other).toHaveLength(1);
    expect(other[0]?.[1]).not.toBe(first[0]?.[1]);
  });

  it('split a file into statements at a semicolon ending a line, dropping leading notes', () => {
    expect(
      sqlStatements('-- note\n-- more\n\ncreate table a (x int);\n\nselect 1 -- one; two\n  ;\n'),
    ).toEqual(['create table a (x int)', 'select 1 -- one; two']);
  });
});
