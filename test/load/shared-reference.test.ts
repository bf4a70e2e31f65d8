import { copyFileSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runRcm } from '../helpers/run-rcm.ts';
import { tempWarehouse } from '../helpers/temp-warehouse.ts';

/** A billing company's practices share one payer list (the same bytes), but never one remittance. */
const PAYERS = [
  'payer_id,plan_id,payer_name,plan_name,payer_type,edi_payer_id,claim_filing_indicator,timely_filing_days',
  'MCR,MCR01,MEDICARE PART B,Medicare Part B,medicare,MCRB1,MB,365',
  'SELF,SELF,SELF PAY,Self pay,self_pay,,,',
  'BCX,BCX01,BLUE CROSS EXAMPLE,PPO,commercial,BCX01,BL,90',
].join('\n');
const ERA = path.resolve('test/fixtures/public-inbox/inbox/P001/era/secondary-payment.835');

describe('the same file in two practices', () => {
  const wh = tempWarehouse('shared-reference');
  const inbox = path.join(wh.dir, 'inbox');

  beforeAll(() => {
    for (const practice of ['P001', 'P002']) {
      mkdirSync(path.join(inbox, practice, 'pm'), { recursive: true });
      mkdirSync(path.join(inbox, practice, 'era'), { recursive: true });
      writeFileSync(path.join(inbox, practice, 'pm', 'payers.csv'), `${PAYERS}\n`);
      copyFileSync(ERA, path.join(inbox, practice, 'era', 'remit.835'));
    }
  });
  afterAll(() => wh.remove());

  const rows = async (sql: string): Promise<unknown[][]> => {
    const instance = await DuckDBInstance.create(wh.database, { access_mode: 'READ_ONLY' });
    const connection = await instance.connect();
    try {
      return (await connection.runAndReadAll(sql)).getRows();
    } finally {
      connection.closeSync();
      instance.closeSync();
    }
  };
  const payersPerPractice = 'select practice_id, count(*)::int from raw.pm_payers group by 1 order by 1';
  const registry = 'select practice_id, file_kind, status from raw.files order by file_id';

  it('loads a shared payer list for each practice and refuses the second copy of a remittance', async () => {
    const load = runRcm(['load', inbox, '--warehouse', wh.database]);
    // exit 3: a file was quarantined (P002's copy of P001's 835), the others loaded
    expect(load.code, load.stdout + load.stderr).toBe(3);
    expect(await rows(payersPerPractice)).toEqual([
      ['P001', 3],
      ['P002', 3],
    ]);
    expect(await rows(registry)).toEqual([
      ['P001', '835', 'loaded'],
      ['P001', 'pm:payers', 'loaded'],
      ['P002', '835', 'quarantined'],
      ['P002', 'pm:payers', 'loaded'],
    ]);
    expect(await rows("select count(*)::int from raw.era_claims where practice_id = 'P002'")).toEqual([[0]]);
  });

  it('changes nothing when loaded again', async () => {
    const again = runRcm(['load', inbox, '--warehouse', wh.database]);
    // the refused copy is still in the inbox, so it is named again; the registry gains no row
    expect(again.code, again.stdout + again.stderr).toBe(3);
    expect(again.stdout).toContain('loaded 0, already loaded 3, quarantined 1');
    expect((await rows('select count(*)::int from raw.files'))[0]).toEqual([4]);
    expect((await rows(payersPerPractice)).map((r) => r[1])).toEqual([3, 3]);
  });

  it('keeps one copy with a load record per practice, so a recovery brings both back', async () => {
    const [[sha]] = (await rows("select sha256 from raw.files where file_kind = 'pm:payers' limit 1")) as [
      [string],
    ];
    const copyDir = path.join(wh.archiveDir, sha.slice(0, 2), sha);
    expect(readdirSync(copyDir).sort()).toEqual(['load.P002.json', 'load.json', 'payers.csv']);
    expect(JSON.parse(readFileSync(path.join(copyDir, 'load.json'), 'utf8')).practice_id).toBe('P001');
    expect(JSON.parse(readFileSync(path.join(copyDir, 'load.P002.json'), 'utf8')).practice_id).toBe('P002');

    // a warehouse lost with its registry: the archive alone rebuilds both practices' payer lists
    rmSync(wh.database);
    const recover = runRcm(['recover', '--warehouse', wh.database]);
    expect(recover.stdout, recover.stderr).toContain('loaded 3, already loaded 0, quarantined 1');
    expect(await rows(payersPerPractice)).toEqual([
      ['P001', 3],
      ['P002', 3],
    ]);
    expect(
      await rows("select practice_id from raw.files where file_kind = '835' and status = 'loaded'"),
    ).toEqual([['P001']]);
  });
});
