/** The clearinghouse's end of a day: the practice's 837 batch, its 999 and 277CA, and the rejection report rows. */

import { join } from 'node:path';
import type { CsvRecord } from '../csv.ts';
import { addBusinessDays, ccyymmdd, type Day, monthKey } from '../dates.ts';
import type { Practice, PracticePayer } from '../practice.ts';
import { hashUnit } from '../prng.ts';
import { SYNTAX_ERRORS } from '../reference.ts';
import {
  type Ack277,
  type Ack999,
  type Batch837,
  type CaClaim,
  DEFAULT_LAYOUT,
  write277ca,
  write837p,
  write999,
} from '../x12.ts';
import { monthTotals } from './calendar.ts';
import type { SimContext } from './state.ts';
import type { Attempt, Claim } from './types.ts';
import { hhmmSeconds } from './x12-output.ts';

const CLEARINGHOUSE = { id: 'CLRHOUSE01', name: 'CLEARPATH EDI SERVICES' };

type Submission = { claim: Claim; attempt: Attempt };

/** What the clearinghouse found in a batch: a 999 set per payer, the claims its 277CA reports, the rejections. */
interface BatchReview {
  sets: Ack999['sets'];
  caClaims: CaClaim[];
  rejections: { period: Day; row: CsvRecord }[];
}

/** Send the day's submissions as one batch and write the clearinghouse's acknowledgements of it. */
export function flushBatch(ctx: SimContext, day: Day): void {
  const { state, practice, options: o } = ctx;
  if (state.batch.size === 0) return;
  const batchId = `${state.practiceId}B${ccyymmdd(day)}`;
  const groups = practice.payers.filter((p) => state.batch.has(p.id));
  const ackDay = addBusinessDays(day, 1);
  const review: BatchReview = { sets: [], caClaims: [], rejections: [] };
  groups.forEach((payer, gi) => {
    reviewPayerSet(ctx, review, day, ackDay, batchId, payer, gi);
  });
  const groupNumber = day - o.startDay + 1;
  if (o.emit837) write837Batch(ctx, day, batchId, groups, groupNumber);
  state.chIsa++;
  const ack: Ack999 = {
    isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + state.chIsa,
    gsControl: state.chIsa,
    senderId: CLEARINGHOUSE.id,
    receiverId: practice.submitterId,
    day,
    hhmm: `${String(ctx.rng.int(17, 22))}${String(ctx.rng.int(0, 59)).padStart(2, '0')}`,
    ackedGroup: groupNumber,
    sets: review.sets,
    separators: DEFAULT_LAYOUT,
  };
  const f999 = join(ctx.dir, 'clearinghouse', `999_${ccyymmdd(day)}_${batchId}.999`);
  ctx.log.add(
    f999,
    'clearinghouse_999',
    ctx.files.write(f999, write999(ack)),
    1,
    day * 86_400 + hhmmSeconds(ack.hhmm),
  );
  monthTotals(state, day).clearinghouse.files_999++;
  if (review.caClaims.length > 0) write277(ctx, day, ackDay, batchId, review.caClaims);
  review.rejections.sort((a, b) => a.period - b.period);
  for (const x of review.rejections) ctx.rejections.row(monthKey(x.period), x.row);
  state.batch.clear();
}

/**
 * One payer's transaction set: a set the 999 rejects (decided by hash, so it rejects every claim of that payer
 * that day) or one whose claims the 277CA accepts or rejects one by one.
 */
function reviewPayerSet(
  ctx: SimContext,
  review: BatchReview,
  day: Day,
  ackDay: Day,
  batchId: string,
  payer: PracticePayer,
  gi: number,
): void {
  const { state, options: o } = ctx;
  const items = state.batch.get(payer.id) as Submission[];
  const rejected = items[0]?.attempt.stRejected ?? false;
  const stControl = String(gi + 1).padStart(4, '0');
  const rejection = (claim: Claim, rejectionDay: Day, fields: CsvRecord) => ({
    period: rejectionDay,
    row: {
      batch_id: batchId,
      claim_id: claim.id,
      patient_id: claim.patient.id,
      payer_name: payer.arch.name,
      edi_payer_id: payer.ediId,
      service_date: claim.dos,
      charge_amount: claim.charge,
      submitted_date: day,
      rejection_date: rejectionDay,
      ...fields,
    },
  });
  if (rejected) {
    const err = SYNTAX_ERRORS[
      Math.floor(hashUnit(o.seed, state.practiceId, day, payer.id, 'err') * SYNTAX_ERRORS.length)
    ] as (typeof SYNTAX_ERRORS)[number];
    review.sets.push({ stControl, accepted: false, error: err });
    for (const { claim } of items) {
      monthTotals(state, day).clearinghouse.claims_rejected_999++;
      review.rejections.push(
        rejection(claim, day, {
          source: '999',
          status: 'Rejected',
          category_code: 'R',
          reason_code: `${err.segment}${err.elementPos.toString().padStart(2, '0')}-${err.code}`,
          reason_text: `Transaction set rejected: ${err.segment} element ${err.elementPos} (loop ${err.loop})`,
          entity_code: '',
        }),
      );
    }
    return;
  }
  review.sets.push({ stControl, accepted: true });
  for (const { claim, attempt } of items) {
    const ca = attempt.ca;
    review.caClaims.push({
      claimId: claim.id,
      patient: {
        last: claim.patient.last,
        first: claim.patient.first,
        middle: claim.patient.middle,
        memberId: claim.patient.memberId,
      },
      charge: claim.charge,
      fromDay: claim.dos,
      toDay: claim.dos,
      accepted: ca === null,
      category: ca ? ca.category : 'A2',
      status: ca ? ca.status : '20',
      entity: ca ? ca.entity : '',
      payerControl: ca ? null : `${payer.ediId}${ctx.rng.digits(10)}`,
      clearinghouseTrace: `CH${ccyymmdd(day)}${ctx.rng.digits(6)}`,
    });
    if (ackDay > o.asOfDay) continue;
    if (ca) {
      monthTotals(state, ackDay).clearinghouse.claims_rejected_277ca++;
      review.rejections.push(
        rejection(claim, ackDay, {
          source: '277CA',
          status: 'Rejected',
          category_code: ca.category,
          reason_code: ca.status,
          reason_text: ca.text,
          entity_code: ca.entity,
        }),
      );
    } else monthTotals(state, ackDay).clearinghouse.claims_accepted_277ca++;
  }
}

/** The 277CA of the batch, the business day after it. */
function write277(ctx: SimContext, day: Day, ackDay: Day, batchId: string, claims: CaClaim[]): void {
  const { state, practice, options: o } = ctx;
  state.chIsa++;
  const ca: Ack277 = {
    isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + state.chIsa,
    gsControl: state.chIsa,
    senderId: CLEARINGHOUSE.id,
    senderName: CLEARINGHOUSE.name,
    receiverId: practice.submitterId,
    receiverName: practice.name,
    billingNpi: practice.npi,
    billingName: practice.name,
    batchId,
    receiptDay: day,
    day: ackDay,
    hhmm: `0${ctx.rng.int(2, 7)}${String(ctx.rng.int(0, 59)).padStart(2, '0')}`,
    claims,
    separators: DEFAULT_LAYOUT,
  };
  // Numbered and timed even when it falls after the as-of day, so that what is written up to that day does not
  // depend on it: a later as-of date gives the same earlier files.
  if (ackDay > o.asOfDay) return;
  const f277 = join(ctx.dir, 'clearinghouse', `277CA_${ccyymmdd(ackDay)}_${batchId}.277`);
  ctx.log.add(
    f277,
    'clearinghouse_277ca',
    ctx.files.write(f277, write277ca(ca)),
    1,
    ackDay * 86_400 + hhmmSeconds(ca.hhmm),
  );
  monthTotals(state, ackDay).clearinghouse.files_277ca++;
}

/** The 837P the practice sent (written only when asked for): one transaction set per payer. */
function write837Batch(
  ctx: SimContext,
  day: Day,
  batchId: string,
  groups: PracticePayer[],
  groupNumber: number,
): void {
  const { state, practice, options: o } = ctx;
  const loc = practice.locations[0] as Practice['locations'][number];
  const batch837: Batch837 = {
    isaControl: ((o.practiceIndex + 1) % 900) * 1_000_000 + groupNumber,
    gsControl: groupNumber,
    senderId: practice.submitterId,
    senderName: practice.name,
    receiverId: CLEARINGHOUSE.id,
    receiverName: CLEARINGHOUSE.name,
    billing: {
      name: practice.name,
      npi: practice.npi,
      tin: practice.tin,
      street: loc.street,
      city: loc.city,
      state: loc.state,
      zip: loc.zip,
    },
    batchId,
    day,
    hhmm: '1630',
    sets: groups.map((payer, gi) => ({
      stControl: String(gi + 1).padStart(4, '0'),
      claims: (state.batch.get(payer.id) as Submission[]).map(({ claim, attempt }) => ({
        claimId: claim.id,
        frequency: attempt.freq,
        charge: claim.charge,
        patient: {
          last: claim.patient.last,
          first: claim.patient.first,
          middle: claim.patient.middle,
          memberId: claim.patient.memberId,
          dob: claim.patient.dob,
          sex: claim.patient.sex,
          street: claim.patient.address,
          city: claim.patient.city,
          state: claim.patient.state,
          zip: claim.patient.zip,
        },
        payer: { name: payer.arch.name, ediId: payer.ediId, filing: payer.arch.filing },
        rendering: { last: claim.provider.last, first: claim.provider.first, npi: claim.provider.npi },
        diagnoses: claim.diagnoses,
        lines: claim.lines.map((l) => ({
          cpt: l.cpt,
          modifiers: l.mods,
          charge: l.charge,
          units: l.units,
          pointers: l.dxPtr,
          dos: claim.dos,
          controlNumber: `${claim.id}-${l.n}`,
        })),
      })),
    })),
    separators: DEFAULT_LAYOUT,
  };
  const f837 = join(ctx.dir, 'submitted', `837P_${ccyymmdd(day)}_${batchId}.837`);
  ctx.log.add(
    f837,
    'submitted_837p',
    ctx.files.write(f837, write837p(batch837)),
    groups.length,
    day * 86_400 + 16.5 * 3_600,
  );
}
