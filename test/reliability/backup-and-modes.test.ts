import { cpSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sameFingerprint } from '../../etl/warehouse/backup.ts';
import { openWarehouse } from '../../etl/warehouse/connection.ts';
import { type Fingerprint, fingerprint } from '../../etl/warehouse/fingerprint.ts';
import { generatedInbox } from '../helpers/generated-inbox.ts';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/**
 * `rcm backup` and `rcm restore` round-trip a warehouse exactly, `rcm recover` then brings back what was loaded
 * after the backup, and everything rcm keeps (warehouse, archive, quarantine, backups) is owner-only.
 */
/**
 * The seeds and models behind the core marts, without dbt's tests: a backup must hold marts, and restore and recover must
 * give them back, whichever marts they are; the full build is tested elsewhere.
 */
const SOME_MARTS = [
  '--',
  'build',
  '--select',
  '+kpi_monthly',
  '+claims',
  '--exclude-resource-type',
  'test',
  'unit_test',
];

describe('backup, restore and file modes', () => {
  const wh = tempWarehouse('backup');
  const inbox = path.join(wh.dir, 'inbox');
  const firstPractice = path.join(wh.dir, 'inbox-p001');
  let atBackup: Fingerprint;
  let backupFile: string;

  beforeAll(() => {
    generatedInbox(inbox, { practices: 2, providers: 1, months: 1 });
    cpSync(path.join(inbox, 'P001'), path.join(firstPractice, 'P001'), { recursive: true });
    // A file anyone may read in the inbox, and one that cannot be loaded: their kept copies must be owner-only.
    writeFileSync(path.join(firstPractice, 'P001', 'garbage.835'), 'ISA*this is not an interchange~', {
      mode: 0o644,
    });
  });
  afterAll(() => wh.remove());

  async function current(): Promise<Fingerprint> {
    const warehouse = await openWarehouse(wh.database);
    try {
      return await fingerprint(warehouse.connection);
    } finally {
      warehouse.close();
    }
  }

  it('a backup is checked against the warehouse and written owner-only', async () => {
    expect(runRcm(['load', firstPractice, '--warehouse', wh.database]).code).toBe(3); // the garbage file: quarantined
    expect(runRcm(['transform', '--warehouse', wh.database, ...SOME_MARTS]).code).toBe(0);
    const backup = runRcm(['backup', '--warehouse', wh.database]);
    expect(backup.code, backup.stderr).toBe(0);
    backupFile = /backup written and checked: (\S+)/.exec(backup.stdout)?.[1] as string;
    expect(path.dirname(backupFile)).toBe(path.join(wh.dir, 'backups'));
    atBackup = await current();
    expect(atBackup.registry.filter((row) => row.includes('|quarantined|'))).toHaveLength(1);
    expect(Object.keys(atBackup.marts).length).toBeGreaterThan(0);
  }, 300_000);

  it('restore puts the backup back exactly; recover then re-loads what came after it from the archive', async () => {
    expect(runRcm(['load', inbox, '--warehouse', wh.database]).code).toBe(0);
    expect(runRcm(['transform', '--warehouse', wh.database, ...SOME_MARTS]).code).toBe(0);
    const later = await current();
    expect(later.registry.length).toBeGreaterThan(atBackup.registry.length);

    const restore = runRcm(['restore', backupFile, '--warehouse', wh.database]);
    expect(restore.code, restore.stderr).toBe(0);
    expect(sameFingerprint(await current(), atBackup)).toBe(true);
    // The replaced warehouse is kept, not deleted.
    expect(
      readdirSync(path.join(wh.dir, 'backups')).filter((name) => name.startsWith('replaced-')),
    ).toHaveLength(1);

    const recover = runRcm(['recover', '--warehouse', wh.database]);
    expect(recover.stdout).toContain(
      `loaded ${later.registry.length - atBackup.registry.length}, already loaded 0, quarantined 0`,
    );
    expect(runRcm(['transform', '--warehouse', wh.database, ...SOME_MARTS]).code).toBe(0);
    expect(sameFingerprint(await current(), later)).toBe(true);
    // two dbt runs in one test: more than the default budget when the machine is shared
  }, 300_000);

  it('the warehouse, its archive, quarantine and backups are readable by their owner alone', () => {
    const loose: string[] = [];
    const check = (file: string) => {
      const stat = statSync(file);
      const expected = stat.isDirectory() ? 0o700 : 0o600;
      if ((stat.mode & 0o777) !== expected) loose.push(`${file} ${(stat.mode & 0o777).toString(8)}`);
      if (stat.isDirectory()) for (const entry of readdirSync(file)) check(path.join(file, entry));
    };
    check(wh.database);
    for (const dir of ['archive', 'quarantine', 'backups']) check(path.join(wh.dir, dir));
    expect(loose).toEqual([]);
  });
});
