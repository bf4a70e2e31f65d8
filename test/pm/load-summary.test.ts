import { describe, expect, it } from 'vitest';
import { summarise } from '../../etl/cli/commands/load.ts';
import type { InboxOutcome } from '../../etl/load/inbox.ts';

describe('the load summary', () => {
  it('names the rows each file left out by reason, and its totals before and after filtering', () => {
    const loaded = {
      filePath: 'inbox/P001/billing.csv',
      practiceId: 'P001',
      kind: 'pm:charges',
      status: 'loaded',
      fileId: 1n,
      sha256: 'x',
      rowCount: 2,
      warnings: [
        {
          location: 'file',
          code: 'filtered_rows',
          message: '1 row left out by rows.drop: deleted (activity = 0)',
        },
        { location: 'file', code: 'row_totals', message: '3 data rows before filtering, 2 loaded' },
        {
          location: 'line 1, column "x"',
          code: 'unknown_column',
          message: 'column not in profile a/b: not loaded',
        },
      ],
    } as unknown as InboxOutcome;
    expect(summarise([loaded])).toBe(
      [
        'loaded 1, already loaded 0, quarantined 0',
        '  inbox/P001/billing.csv: 1 row left out by rows.drop: deleted (activity = 0)',
        '  inbox/P001/billing.csv: 3 data rows before filtering, 2 loaded',
        '',
      ].join('\n'),
    );
  });
});
