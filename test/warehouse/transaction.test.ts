import { DuckDBInstance } from '@duckdb/node-api';
import { describe, expect, it } from 'vitest';
import { rollbackIfOpen } from '../../etl/warehouse/transaction.ts';

describe('rollbackIfOpen', () => {
  it('after a commit that failed, leaves the commit error as the one that counts', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const first = await instance.connect();
    const second = await instance.connect();
    await first.run('create table t (id integer primary key)');
    await first.run('begin transaction');
    await second.run('begin transaction');
    await first.run('insert into t values (1)');
    await second.run('insert into t values (1)');
    await first.run('commit');
    // The second commit fails on the key the first committed, and DuckDB ends that transaction itself.
    const failed = await second.run('commit').then(
      () => null,
      (error: Error) => error,
    );
    expect(failed?.message).toMatch(/Failed to commit: .*duplicate key "1"/);
    await expect(second.run('rollback')).rejects.toThrow(/no transaction is active/);
    await expect(rollbackIfOpen(second)).resolves.toBeUndefined();
    const rows = (await second.runAndReadAll('select count(*)::integer from t')).getRows();
    expect(rows).toEqual([[1]]);
    instance.closeSync();
  });

  it('rolls back a transaction that is still open', async () => {
    const instance = await DuckDBInstance.create(':memory:');
    const connection = await instance.connect();
    await connection.run('create table t (id integer)');
    await connection.run('begin transaction');
    await connection.run('insert into t values (1), (2)');
    await rollbackIfOpen(connection);
    expect((await connection.runAndReadAll('select count(*)::integer from t')).getRows()).toEqual([[0]]);
    // The connection is out of its transaction: a new one can begin.
    await connection.run('begin transaction');
    await connection.run('commit');
    instance.closeSync();
  });
});
