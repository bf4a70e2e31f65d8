import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const synthetic = path.join(import.meta.dirname, '../fixtures/x12/synthetic/reversal-correction-plb.835');

/**
 * The synthetic reversal/correction remittance with its last CLP04 (segment 45, the claim PCN300) turned into a
 * well-formed amount beyond DECIMAL(18,2): the parser reads it, the raw tables cannot hold it. Written into `dir`;
 * returns its path and the original text (whose offsets the bad file shares up to that CLP).
 */
export function writeHugeAmount835(dir: string): { file: string; source: string } {
  const source = readFileSync(synthetic, 'latin1');
  const file = path.join(dir, 'huge-amount.835');
  writeFileSync(
    file,
    source.replace('CLP*PCN300*1*100.00*60.00', 'CLP*PCN300*1*100.00*12345678901234567890.00'),
    'latin1',
  );
  return { file, source };
}
