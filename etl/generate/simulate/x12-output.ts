/** What the 835s and acknowledgements the simulation writes share: reversals, payers' X12 layout, file times. */

import type { PracticePayer } from '../practice.ts';
import { DEFAULT_LAYOUT, type RemitClaim, type X12Layout } from '../x12.ts';

/** The reversal of a paid claim (CLP02 = 22): every amount negated. */
export function negate(c: RemitClaim): RemitClaim {
  return {
    ...c,
    status: '22',
    charge: -c.charge,
    paid: -c.paid,
    patientResp: -c.patientResp,
    frequency: '8',
    cas: c.cas.map((x) => ({ ...x, amount: -x.amount })),
    lines: c.lines.map((l) => ({
      ...l,
      charge: -l.charge,
      paid: -l.paid,
      allowed: l.allowed === null ? null : -l.allowed,
      cas: l.cas.map((x) => ({ ...x, amount: -x.amount })),
    })),
  };
}

/** Seconds into the day of an HHMM time, for the file's modification time. */
export function hhmmSeconds(hhmm: string): number {
  return Number(hhmm.slice(0, 2)) * 3_600 + Number(hhmm.slice(2, 4)) * 60;
}

export function separatorsFor(payer: PracticePayer): X12Layout {
  // Payers differ in whether a newline follows the segment terminator, as real files do.
  return { ...DEFAULT_LAYOUT, newline: payer.arch.x12Style === 'fixed2' ? '\n' : '' };
}
