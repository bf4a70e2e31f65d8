import type { RunOutcome } from '../warehouse/run-log.ts';

/**
 * The exit codes of every `rcm` command, so a scheduler or script can tell the failures apart
 * (docs/usage.md lists them). 1 stays the catch-all, as node itself uses it.
 */
export const EXIT = {
  ok: 0,
  error: 1,
  usage: 2,
  quarantined: 3,
  dbtFailed: 4,
  reportsFailed: 5,
  lockHeld: 6,
  badSettings: 7,
} as const;

/** The run-log outcome of an exit code. */
export function outcomeOf(code: number): RunOutcome {
  switch (code) {
    case EXIT.ok:
      return 'ok';
    case EXIT.quarantined:
      return 'quarantined';
    case EXIT.dbtFailed:
      return 'dbt_failed';
    case EXIT.reportsFailed:
      return 'reports_failed';
    case EXIT.lockHeld:
      return 'lock_held';
    default:
      return 'error';
  }
}

/** A wrong argument or option: reported with the command's usage, exit code 2. */
export class UsageError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}
