/**
 * X12 5010 writers for the 835 (X221A1), 277CA (X214) and 999 (X231A1) the generator emits.
 * Each file is one interchange with one functional group; SE01, GE01 and IEA01 are counted, not assumed.
 */

import { type Cents, formatCents } from '../money.ts';
import { DEFAULT_SEPARATORS, type Separators } from '../x12/separators.ts';
import { ccyymmdd, type Day, yymmdd } from './dates.ts';

/**
 * X12 decimal (R) amount. `fixed2` writes two decimals ('118.40'), `trimmed` suppresses trailing
 * zeros after the decimal point as the TR3 recommends ('118.4', '118'). Both are valid; payers differ.
 */
export function x12Amount(c: Cents, style: 'fixed2' | 'trimmed'): string {
  const s = formatCents(c);
  if (style === 'fixed2') return s;
  if (s.endsWith('.00')) return s.slice(0, -3);
  if (s.endsWith('0')) return s.slice(0, -1);
  return s;
}

/** How the generator lays out an interchange: the delimiters, and what follows each segment terminator. */
export interface X12Layout extends Separators {
  /** Written after each segment terminator ('' or '\n'). */
  newline: string;
}

export const DEFAULT_LAYOUT: X12Layout = { ...DEFAULT_SEPARATORS, newline: '\n' };

function pad(text: string, n: number): string {
  return text.length >= n ? text.slice(0, n) : text + ' '.repeat(n - text.length);
}

/** Accumulates segments of one interchange and closes every envelope with true counts. */
export class Interchange {
  private out = '';
  private readonly end: string;
  private stCount = 0;
  private stControl = '';
  private groupSets = 0;
  private groups = 0;
  private gsControl = '';

  constructor(
    private readonly sep: X12Layout,
    private readonly isaControl: number,
    sender: string,
    receiver: string,
    day: Day,
    hhmm: string,
    usage: 'P' | 'T' = 'P',
  ) {
    this.end = sep.segment + sep.newline;
    const e = sep.element;
    const isa = [
      'ISA',
      '00',
      pad('', 10),
      '00',
      pad('', 10),
      'ZZ',
      pad(sender, 15),
      'ZZ',
      pad(receiver, 15),
      yymmdd(day),
      hhmm,
      sep.repetition ?? 'U',
      '00501',
      String(isaControl).padStart(9, '0'),
      '0',
      usage,
      sep.component,
    ].join(e);
    this.out = isa + this.end;
  }

  private raw(elements: string[]): void {
    // Drop trailing empty elements, as X12 requires.
    let n = elements.length;
    while (n > 1 && elements[n - 1] === '') n--;
    let text = elements[0] as string;
    for (let i = 1; i < n; i++) text += this.sep.element + (elements[i] as string);
    this.out += text + this.end;
  }

  group(
    functionalId: string,
    sender: string,
    receiver: string,
    day: Day,
    hhmm: string,
    control: number,
    version: string,
  ): void {
    this.gsControl = String(control);
    this.groupSets = 0;
    this.groups++;
    this.raw(['GS', functionalId, sender, receiver, ccyymmdd(day), hhmm, this.gsControl, 'X', version]);
  }

  /** Start a transaction set; ST is counted. */
  st(id: string, control: string, version?: string): void {
    this.stControl = control;
    this.stCount = 0;
    this.groupSets++;
    this.seg(version ? ['ST', id, control, version] : ['ST', id, control]);
  }

  seg(elements: string[]): void {
    this.stCount++;
    this.raw(elements);
  }

  se(): void {
    this.stCount++;
    this.raw(['SE', String(this.stCount), this.stControl]);
  }

  ge(): void {
    this.raw(['GE', String(this.groupSets), this.gsControl]);
  }

  finish(): string {
    this.raw(['IEA', String(this.groups), String(this.isaControl).padStart(9, '0')]);
    return this.out;
  }

  comp(...parts: string[]): string {
    let n = parts.length;
    while (n > 1 && parts[n - 1] === '') n--;
    let text = parts[0] as string;
    for (let i = 1; i < n; i++) text += this.sep.component + (parts[i] as string);
    return text;
  }
}

/** A patient as the 835, 277CA and 837P name them. */
export interface PatientName {
  last: string;
  first: string;
  middle: string;
  memberId: string;
}

/** The patient's NM1 (QC in the 835 and 277CA, IL as the 837P's subscriber): a person with a member id. */
function patientNm1(entity: 'QC' | 'IL', patient: PatientName): string[] {
  return ['NM1', entity, '1', patient.last, patient.first, patient.middle, '', '', 'MI', patient.memberId];
}

// --- 835 ----------------------------------------------------------------------------------------

export interface CasItem {
  group: 'CO' | 'PR' | 'OA' | 'PI';
  reason: string;
  amount: Cents;
}

export interface RemitLine {
  cpt: string;
  modifiers: string[];
  charge: Cents;
  paid: Cents;
  units: number;
  dos: Day;
  cas: CasItem[];
  controlNumber: string;
  allowed: Cents | null;
  remark: string | null;
}

export interface RemitClaim {
  claimId: string;
  status: '1' | '2' | '4' | '19' | '22';
  charge: Cents;
  paid: Cents;
  patientResp: Cents;
  filing: string;
  payerControl: string;
  frequency: string;
  patient: PatientName;
  rendering: { last: string; first: string; npi: string };
  receivedDay: Day;
  /** CLP02 = 19: the payer the claim was crossed over to (NM1*TT). */
  crossoverCarrier?: { name: string; ediId: string };
  /** Claim-level adjustments (CAS right after CLP) and remark (MOA03), used when a payer denies a whole claim. */
  cas: CasItem[];
  remark: string | null;
  lines: RemitLine[];
}

export interface PlbItem {
  reason: 'L6' | 'WO' | 'FB' | '72' | 'CS';
  reference: string;
  amount: Cents;
}

export interface Remittance {
  isaControl: number;
  gsControl: number;
  payer: {
    name: string;
    ediId: string;
    tin: string;
    routing: string;
    account: string;
    street: string;
    city: string;
    state: string;
    zip: string;
  };
  payee: {
    name: string;
    npi: string;
    tin: string;
    routing: string;
    account: string;
    street: string;
    city: string;
    state: string;
    zip: string;
  };
  receiverId: string;
  method: 'ACH' | 'CHK';
  trace: string;
  paymentDay: Day;
  productionDay: Day;
  hhmm: string;
  claims: RemitClaim[];
  plb: PlbItem[];
  amountStyle: 'fixed2' | 'trimmed';
  separators: X12Layout;
}

function casSegments(x: Interchange, cas: CasItem[], amt: (c: Cents) => string): void {
  const order: CasItem['group'][] = ['CO', 'PR', 'OA', 'PI'];
  for (const g of order) {
    const items = cas.filter((c) => c.group === g);
    for (let i = 0; i < items.length; i += 6) {
      const seg = ['CAS', g];
      for (const c of items.slice(i, i + 6)) seg.push(c.reason, amt(c.amount), '');
      x.seg(seg);
    }
  }
}

/** Σ CLP04 − Σ PLB, the amount BPR02 must carry. */
export function remittanceTotal(r: Pick<Remittance, 'claims' | 'plb'>): Cents {
  let total = 0n;
  for (const c of r.claims) total += c.paid;
  for (const p of r.plb) total -= p.amount;
  return total;
}

export function write835(r: Remittance): string {
  const amt = (c: Cents) => x12Amount(c, r.amountStyle);
  const x = new Interchange(r.separators, r.isaControl, r.payer.ediId, r.receiverId, r.productionDay, r.hhmm);
  x.group('HP', r.payer.ediId, r.receiverId, r.productionDay, r.hhmm, r.gsControl, '005010X221A1');
  x.st('835', '0001');
  const total = remittanceTotal(r);
  if (total < 0n) throw new Error(`835 ${r.trace}: negative BPR02`);
  const originator = `1${r.payer.tin}`;
  if (total === 0n) {
    x.seg(['BPR', 'H', '0', 'C', 'NON', '', '', '', '', '', '', '', '', '', '', '', ccyymmdd(r.paymentDay)]);
  } else if (r.method === 'ACH') {
    x.seg([
      'BPR',
      'I',
      amt(total),
      'C',
      'ACH',
      'CCP',
      '01',
      r.payer.routing,
      'DA',
      r.payer.account,
      originator,
      '',
      '01',
      r.payee.routing,
      'DA',
      r.payee.account,
      ccyymmdd(r.paymentDay),
    ]);
  } else {
    x.seg([
      'BPR',
      'C',
      amt(total),
      'C',
      'CHK',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      '',
      ccyymmdd(r.paymentDay),
    ]);
  }
  x.seg(['TRN', '1', r.trace, originator]);
  x.seg(['REF', 'EV', r.receiverId]);
  x.seg(['DTM', '405', ccyymmdd(r.productionDay)]);
  x.seg(['N1', 'PR', r.payer.name, 'XV', r.payer.ediId]);
  x.seg(['N3', r.payer.street]);
  x.seg(['N4', r.payer.city, r.payer.state, r.payer.zip]);
  x.seg(['PER', 'BL', 'PROVIDER SERVICES', 'TE', '8005550142']);
  x.seg(['N1', 'PE', r.payee.name, 'XX', r.payee.npi]);
  x.seg(['N3', r.payee.street]);
  x.seg(['N4', r.payee.city, r.payee.state, r.payee.zip]);
  x.seg(['REF', 'TJ', r.payee.tin]);
  if (r.claims.length > 0) x.seg(['LX', '1']);
  for (const c of r.claims) {
    x.seg([
      'CLP',
      c.claimId,
      c.status,
      amt(c.charge),
      amt(c.paid),
      c.patientResp === 0n ? '' : amt(c.patientResp),
      c.filing,
      c.payerControl,
      '11',
      c.frequency,
    ]);
    casSegments(x, c.cas, amt);
    x.seg(patientNm1('QC', c.patient));
    x.seg(['NM1', '82', '1', c.rendering.last, c.rendering.first, '', '', '', 'XX', c.rendering.npi]);
    if (c.crossoverCarrier)
      x.seg(['NM1', 'TT', '2', c.crossoverCarrier.name, '', '', '', '', 'PI', c.crossoverCarrier.ediId]);
    x.seg(['DTM', '050', ccyymmdd(c.receivedDay)]);
    if (c.remark) x.seg(['MOA', '', '', c.remark]);
    for (const l of c.lines) {
      x.seg([
        'SVC',
        x.comp('HC', l.cpt, ...l.modifiers),
        amt(l.charge),
        amt(l.paid),
        '',
        l.units === 1 ? '' : String(l.units),
      ]);
      x.seg(['DTM', '472', ccyymmdd(l.dos)]);
      casSegments(x, l.cas, amt);
      x.seg(['REF', '6R', l.controlNumber]);
      if (l.allowed !== null) x.seg(['AMT', 'B6', amt(l.allowed)]);
      if (l.remark) x.seg(['LQ', 'HE', l.remark]);
    }
  }
  const fiscal = `${ccyymmdd(r.paymentDay).slice(0, 4)}1231`;
  for (let i = 0; i < r.plb.length; i += 6) {
    const seg = ['PLB', r.payee.npi, fiscal];
    for (const p of r.plb.slice(i, i + 6)) seg.push(x.comp(p.reason, p.reference), amt(p.amount));
    x.seg(seg);
  }
  x.se();
  x.ge();
  return x.finish();
}

// --- 999 ------------------------------------------------------------------------------------------

export interface AckSet {
  stControl: string;
  accepted: boolean;
  error?: {
    segment: string;
    position: number;
    loop: string;
    elementPos: number;
    element: string;
    code: string;
  };
}

export interface Ack999 {
  isaControl: number;
  gsControl: number;
  senderId: string;
  receiverId: string;
  day: Day;
  hhmm: string;
  /** GS06 of the acknowledged 837 group. */
  ackedGroup: number;
  sets: AckSet[];
  separators: X12Layout;
}

export function write999(a: Ack999): string {
  const x = new Interchange(a.separators, a.isaControl, a.senderId, a.receiverId, a.day, a.hhmm);
  x.group('FA', a.senderId, a.receiverId, a.day, a.hhmm, a.gsControl, '005010X231A1');
  x.st('999', '0001', '005010X231A1');
  x.seg(['AK1', 'HC', String(a.ackedGroup), '005010X222A1']);
  let accepted = 0;
  for (const s of a.sets) {
    x.seg(['AK2', '837', s.stControl, '005010X222A1']);
    if (s.accepted) {
      accepted++;
      x.seg(['IK5', 'A']);
    } else {
      const e = s.error;
      if (e) {
        x.seg(['IK3', e.segment, String(e.position), e.loop, '8']);
        x.seg(['IK4', String(e.elementPos), e.element, e.code]);
      }
      x.seg(['IK5', 'R', '5']);
    }
  }
  const status = accepted === a.sets.length ? 'A' : accepted === 0 ? 'R' : 'P';
  x.seg(['AK9', status, String(a.sets.length), String(a.sets.length), String(accepted)]);
  x.se();
  x.ge();
  return x.finish();
}

// --- 277CA ----------------------------------------------------------------------------------------

export interface CaClaim {
  claimId: string;
  patient: PatientName;
  charge: Cents;
  fromDay: Day;
  toDay: Day;
  accepted: boolean;
  category: string;
  status: string;
  entity: string;
  payerControl: string | null;
  clearinghouseTrace: string;
}

export interface Ack277 {
  isaControl: number;
  gsControl: number;
  senderId: string;
  senderName: string;
  receiverId: string;
  receiverName: string;
  billingNpi: string;
  billingName: string;
  batchId: string;
  receiptDay: Day;
  day: Day;
  hhmm: string;
  claims: CaClaim[];
  separators: X12Layout;
}

export function write277ca(a: Ack277): string {
  const amt = (c: Cents) => x12Amount(c, 'fixed2');
  const x = new Interchange(a.separators, a.isaControl, a.senderId, a.receiverId, a.day, a.hhmm);
  x.group('HN', a.senderId, a.receiverId, a.day, a.hhmm, a.gsControl, '005010X214');
  x.st('277', '0001', '005010X214');
  x.seg(['BHT', '0085', '08', a.batchId, ccyymmdd(a.day), `${a.hhmm}00`, 'TH']);
  x.seg(['HL', '1', '', '20', '1']);
  x.seg(['NM1', 'PR', '2', a.senderName, '', '', '', '', '46', a.senderId]);
  x.seg(['TRN', '1', a.batchId]);
  x.seg(['DTP', '050', 'D8', ccyymmdd(a.receiptDay)]);
  x.seg(['DTP', '009', 'D8', ccyymmdd(a.day)]);
  let acc = 0;
  let rej = 0;
  let accAmt = 0n;
  let rejAmt = 0n;
  for (const c of a.claims) {
    if (c.accepted) {
      acc++;
      accAmt += c.charge;
    } else {
      rej++;
      rejAmt += c.charge;
    }
  }
  x.seg(['HL', '2', '1', '21', '1']);
  x.seg(['NM1', '41', '2', a.receiverName, '', '', '', '', '46', a.receiverId]);
  x.seg(['TRN', '2', a.batchId]);
  x.seg(['STC', x.comp('A1', '20'), ccyymmdd(a.day), 'WQ', amt(accAmt + rejAmt)]);
  if (acc > 0) x.seg(['QTY', '90', String(acc)]);
  if (rej > 0) x.seg(['QTY', 'AA', String(rej)]);
  if (acc > 0) x.seg(['AMT', 'YU', amt(accAmt)]);
  if (rej > 0) x.seg(['AMT', 'YY', amt(rejAmt)]);
  x.seg(['HL', '3', '2', '19', '1']);
  x.seg(['NM1', '85', '2', a.billingName, '', '', '', '', 'XX', a.billingNpi]);
  x.seg(['TRN', '1', `${a.batchId}BP`]);
  if (acc > 0) x.seg(['QTY', 'QA', String(acc)]);
  if (rej > 0) x.seg(['QTY', 'QC', String(rej)]);
  let hl = 4;
  for (const c of a.claims) {
    x.seg(['HL', String(hl++), '3', 'PT']);
    x.seg(patientNm1('QC', c.patient));
    x.seg(['TRN', '2', c.claimId]);
    if (c.accepted) {
      x.seg(['STC', x.comp('A2', '20'), ccyymmdd(a.day), 'WQ', amt(c.charge)]);
      if (c.payerControl) x.seg(['REF', '1K', c.payerControl]);
    } else {
      x.seg(['STC', x.comp(c.category, c.status, c.entity), ccyymmdd(a.day), 'U', amt(c.charge)]);
    }
    x.seg(['REF', 'D9', c.clearinghouseTrace]);
    x.seg(
      c.fromDay === c.toDay
        ? ['DTP', '472', 'D8', ccyymmdd(c.fromDay)]
        : ['DTP', '472', 'RD8', `${ccyymmdd(c.fromDay)}-${ccyymmdd(c.toDay)}`],
    );
  }
  x.se();
  x.ge();
  return x.finish();
}

// --- 837P (optional) --------------------------------------------------------------------------------

export interface ClaimOut {
  claimId: string;
  frequency: string;
  charge: Cents;
  patient: {
    last: string;
    first: string;
    middle: string;
    memberId: string;
    dob: Day;
    sex: string;
    street: string;
    city: string;
    state: string;
    zip: string;
  };
  payer: { name: string; ediId: string; filing: string };
  rendering: { last: string; first: string; npi: string };
  diagnoses: string[];
  lines: {
    cpt: string;
    modifiers: string[];
    charge: Cents;
    units: number;
    pointers: string;
    dos: Day;
    controlNumber: string;
  }[];
}

export interface Batch837 {
  isaControl: number;
  /** GS06; the 999 echoes it in AK102. */
  gsControl: number;
  senderId: string;
  senderName: string;
  receiverId: string;
  receiverName: string;
  billing: {
    name: string;
    npi: string;
    tin: string;
    street: string;
    city: string;
    state: string;
    zip: string;
  };
  batchId: string;
  day: Day;
  hhmm: string;
  /** One transaction set per payer; ST02 as the 999 acknowledges it. */
  sets: { stControl: string; claims: ClaimOut[] }[];
  separators: X12Layout;
}

/** A professional claim batch (005010X222A1) as the practice sent it to the clearinghouse. */
export function write837p(b: Batch837): string {
  const amt = (c: Cents) => x12Amount(c, 'fixed2');
  const x = new Interchange(b.separators, b.isaControl, b.senderId, b.receiverId, b.day, b.hhmm);
  x.group('HC', b.senderId, b.receiverId, b.day, b.hhmm, b.gsControl, '005010X222A1');
  for (const set of b.sets) {
    x.st('837', set.stControl, '005010X222A1');
    x.seg(['BHT', '0019', '00', `${b.batchId}${set.stControl}`, ccyymmdd(b.day), b.hhmm, 'CH']);
    x.seg(['NM1', '41', '2', b.senderName, '', '', '', '', '46', b.senderId]);
    x.seg(['PER', 'IC', 'BILLING OFFICE', 'TE', '8005550163']);
    x.seg(['NM1', '40', '2', b.receiverName, '', '', '', '', '46', b.receiverId]);
    x.seg(['HL', '1', '', '20', '1']);
    x.seg(['NM1', '85', '2', b.billing.name, '', '', '', '', 'XX', b.billing.npi]);
    x.seg(['N3', b.billing.street]);
    x.seg(['N4', b.billing.city, b.billing.state, b.billing.zip]);
    x.seg(['REF', 'EI', b.billing.tin]);
    let hl = 2;
    for (const c of set.claims) {
      x.seg(['HL', String(hl++), '1', '22', '0']);
      x.seg(['SBR', 'P', '18', '', '', '', '', '', '', c.payer.filing]);
      x.seg(patientNm1('IL', c.patient));
      x.seg(['N3', c.patient.street]);
      x.seg(['N4', c.patient.city, c.patient.state, c.patient.zip]);
      x.seg(['DMG', 'D8', ccyymmdd(c.patient.dob), c.patient.sex]);
      x.seg(['NM1', 'PR', '2', c.payer.name, '', '', '', '', 'PI', c.payer.ediId]);
      x.seg(['CLM', c.claimId, amt(c.charge), '', '', x.comp('11', 'B', c.frequency), 'Y', 'A', 'Y', 'Y']);
      x.seg(['HI', ...c.diagnoses.map((d, i) => x.comp(i === 0 ? 'ABK' : 'ABF', d.replace('.', '')))]);
      x.seg(['NM1', '82', '1', c.rendering.last, c.rendering.first, '', '', '', 'XX', c.rendering.npi]);
      c.lines.forEach((l, i) => {
        x.seg(['LX', String(i + 1)]);
        x.seg([
          'SV1',
          x.comp('HC', l.cpt, ...l.modifiers),
          amt(l.charge),
          'UN',
          String(l.units),
          '',
          '',
          x.comp(...l.pointers.split(':')),
        ]);
        x.seg(['DTP', '472', 'D8', ccyymmdd(l.dos)]);
        x.seg(['REF', '6R', l.controlNumber]);
      });
    }
    x.se();
  }
  x.ge();
  return x.finish();
}
