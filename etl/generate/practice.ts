/**
 * A practice's fixed cast: identity, providers, locations, payers with their fee schedules, and the
 * patient panel (which grows as new patients register during the simulation).
 */

import { applyRate, type Cents, maxCents, roundToUnit } from '../money.ts';
import { addMonths, type Day, dayOf, yearOf } from './dates.ts';
import { hashUnit, type Rng } from './prng.ts';
import {
  CANARY_LAST_NAMES,
  CREDENTIALS,
  EST_EM_BENCHMARK,
  EST_EM_HIGH,
  EST_EM_LOW,
  FIRST_NAMES_F,
  FIRST_NAMES_M,
  LAST_NAMES,
  MEDIGAP,
  NEW_EM_BENCHMARK,
  NEW_EM_HIGH,
  NEW_EM_LOW,
  NP_TAXONOMY,
  PA_TAXONOMY,
  PAYERS,
  type PayerArchetype,
  PRACTICE_NAMES,
  PROCEDURES,
  REGIONS,
  SECONDARY_COVERAGE,
  SPECIALTIES,
  STREET_NAMES,
  STREET_SUFFIXES,
} from './reference.ts';

export interface Provider {
  id: string;
  npi: string;
  first: string;
  last: string;
  credential: string;
  specialty: string;
  taxonomy: string;
  startDay: Day;
  estEm: number[];
  newEm: number[];
  emProfile: 'benchmark' | 'high' | 'low';
  visitsPerDay: number;
  panel: Patient[];
  /** Visit weights of the panel, cumulative, rebuilt when the panel grows. */
  locationIndex: number;
}

export interface Patient {
  id: string;
  first: string;
  middle: string;
  last: string;
  dob: Day;
  sex: 'F' | 'M';
  address: string;
  city: string;
  state: string;
  zip: string;
  phone: string;
  payer: PracticePayer;
  memberId: string;
  registeredDay: Day;
  /** Relative visit frequency. */
  weight: number;
  copay: Cents;
  /** High-deductible plan: no copay, the deductible applies to every service. */
  hdhp: boolean;
  /** Deductible still to meet in `deductibleYear` (the patient also sees other providers). */
  deductibleYear: number;
  deductibleLeft: Cents;
  canary: boolean;
  seenBy: Set<string>;
}

export interface PracticePayer {
  arch: PayerArchetype;
  id: string;
  planId: string;
  ediId: string;
  tin: string;
  routing: string;
  account: string;
  address: { street: string; city: string; state: string; zip: string };
  /** Contract rates: per CPT, list of { from, to, cents } by effective period. */
  fees: Map<string, { from: Day; to: Day; cents: Cents }[]>;
  isaSeq: number;
  checkSeq: number;
}

export interface Location {
  id: string;
  name: string;
  street: string;
  city: string;
  state: string;
  zip: string;
  pos: string;
  npi: string;
}

export interface Practice {
  index: number;
  id: string;
  name: string;
  npi: string;
  tin: string;
  submitterId: string;
  routing: string;
  account: string;
  region: (typeof REGIONS)[number];
  locations: Location[];
  providers: Provider[];
  payers: PracticePayer[];
  payerByKey: Map<string, PracticePayer>;
  patients: Patient[];
  nextPatientNo: number;
  /** Charge master: cents per unit by CPT. */
  chargeMaster: Map<string, Cents>;
  chargeRatioBp: number;
  /** How this practice differs from the others (billing-company runs compare practices). */
  traits: { volume: number; denial: number; eligibility: number; medicaidShift: number };
  canaries: Patient[];
}

/** A ten-digit NPI-shaped identifier with a valid Luhn check digit (prefix 80840). */
export function npi(rng: Rng): string {
  const body = String(rng.int(1, 2)) + rng.digits(8);
  const withPrefix = `80840${body}`;
  let sum = 0;
  for (let i = 0; i < withPrefix.length; i++) {
    let d = Number(withPrefix[withPrefix.length - 1 - i]);
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return body + String((10 - (sum % 10)) % 10);
}

const MBI_ALPHA = 'ACDEFGHJKMNPQRTUVWXY';
const MBI_ALNUM = `0123456789${MBI_ALPHA}`;

function memberId(rng: Rng, arch: PayerArchetype): string {
  switch (arch.type) {
    case 'medicare':
      // Medicare Beneficiary Identifier shape: C A AN N A AN N A A N N
      return (
        String(rng.int(1, 9)) +
        rng.letters(1, MBI_ALPHA) +
        rng.letters(1, MBI_ALNUM) +
        rng.digits(1) +
        rng.letters(1, MBI_ALPHA) +
        rng.letters(1, MBI_ALNUM) +
        rng.digits(1) +
        rng.letters(2, MBI_ALPHA) +
        rng.digits(2)
      );
    case 'medicare_advantage':
      return `SM${rng.digits(9)}`;
    case 'medicaid':
      return `${rng.letters(2)}${rng.digits(5)}${rng.letters(1)}`;
    case 'commercial':
      return `${arch.key[0]}${rng.letters(2)}${rng.digits(9)}`;
    case 'other':
      return `WC${rng.digits(8)}`;
    case 'self_pay':
      return '';
  }
}

function person(rng: Rng): { first: string; middle: string; last: string; sex: 'F' | 'M' } {
  const sex = rng.chance(0.54) ? 'F' : 'M';
  const first = rng.pick(sex === 'F' ? FIRST_NAMES_F : FIRST_NAMES_M);
  const middle = rng.chance(0.6) ? rng.letters(1) : '';
  return { first, middle, last: rng.pick(LAST_NAMES), sex };
}

function address(
  rng: Rng,
  region: Practice['region'],
): { street: string; city: string; state: string; zip: string } {
  const town = rng.pick(region.towns);
  return {
    street: `${rng.int(10, 9899)} ${rng.pick(STREET_NAMES)} ${rng.pick(STREET_SUFFIXES)}`,
    city: town.city,
    state: region.state,
    zip: town.zip3 + rng.digits(2),
  };
}

/** Phone numbers use the 555-01xx range reserved for fiction. */
function phone(rng: Rng, areaCode: string): string {
  return `(${areaCode}) 555-01${rng.digits(2)}`;
}

export interface PracticeSetup {
  index: number;
  providers: number;
  startDay: Day;
  endDay: Day;
  visitsPerProviderDay: number;
}

export function buildPractice(rng: Rng, setup: PracticeSetup): Practice {
  const id = `P${String(setup.index + 1).padStart(3, '0')}`;
  const baseName = PRACTICE_NAMES[setup.index % PRACTICE_NAMES.length] as string;
  const round = Math.floor(setup.index / PRACTICE_NAMES.length);
  const name = round === 0 ? baseName : `${baseName} ${round + 1}`;
  const region = REGIONS[setup.index % REGIONS.length] as Practice['region'];
  const chargeRatioBp = rng.int(16_000, 25_000); // charge-to-Medicare ratio 1.6–2.5 (JAMA 2017)
  const round2 = (x: number) => Math.round(x * 100) / 100;
  // The first practice is the reference practice; the others vary around it.
  const traits =
    setup.index === 0
      ? { volume: 1, denial: 1, eligibility: 0.8, medicaidShift: 0 }
      : {
          volume: round2(0.8 + 0.4 * rng.next()),
          denial: round2(0.7 + 0.7 * rng.next()),
          eligibility: round2(0.7 + 0.2 * rng.next()),
          medicaidShift: round2(-0.08 + 0.16 * rng.next()),
        };

  const chargeMaster = new Map<string, Cents>();
  for (const p of Object.values(PROCEDURES)) {
    const c = applyRate(p.base, chargeRatioBp);
    chargeMaster.set(p.code, p.base === 0n ? 0n : maxCents(100n, roundToUnit(c, 100n))); // whole dollars
  }

  const locCount = setup.providers >= 5 ? 2 : 1;
  const locations: Location[] = [];
  for (let i = 0; i < locCount; i++) {
    const a = address(rng, region);
    locations.push({
      id: `L${String(i + 1).padStart(2, '0')}`,
      name: i === 0 ? `${name} - MAIN` : `${name} - ${a.city}`,
      street: a.street,
      city: a.city,
      state: a.state,
      zip: a.zip,
      pos: '11',
      npi: npi(rng),
    });
  }

  const providers: Provider[] = [];
  for (let i = 0; i < setup.providers; i++) {
    const who = person(rng);
    const credential = i < 2 ? 'MD' : (CREDENTIALS[rng.int(0, CREDENTIALS.length - 1)] as string);
    const spec = credential === 'NP' || credential === 'PA' ? null : rng.pick(SPECIALTIES);
    // Provider 2 codes high, provider 3 codes low (when there are at least three providers).
    const profile: Provider['emProfile'] =
      setup.providers >= 3 && i === 1 ? 'high' : setup.providers >= 3 && i === 2 ? 'low' : 'benchmark';
    const noisy = (w: number[]) => w.map((x) => Math.max(0.1, x * (0.85 + 0.3 * rng.next())));
    providers.push({
      id: `D${String(i + 1).padStart(2, '0')}`,
      npi: npi(rng),
      first: who.first,
      last: who.last,
      credential,
      specialty: spec ? spec.name : credential === 'NP' ? 'Nurse Practitioner' : 'Physician Assistant',
      taxonomy: spec ? spec.taxonomy : credential === 'NP' ? NP_TAXONOMY : PA_TAXONOMY,
      startDay: addMonths(setup.startDay, -rng.int(12, 180)),
      estEm: profile === 'high' ? EST_EM_HIGH : profile === 'low' ? EST_EM_LOW : noisy(EST_EM_BENCHMARK),
      newEm: profile === 'high' ? NEW_EM_HIGH : profile === 'low' ? NEW_EM_LOW : noisy(NEW_EM_BENCHMARK),
      emProfile: profile,
      visitsPerDay:
        setup.visitsPerProviderDay * traits.volume * (credential === 'NP' || credential === 'PA' ? 0.85 : 1),
      panel: [],
      locationIndex: i % locCount,
    });
  }

  const payers: PracticePayer[] = PAYERS.map((arch, k) => {
    const a = address(rng, REGIONS[(setup.index + k + 1) % REGIONS.length] as Practice['region']);
    return {
      arch,
      id: arch.key,
      planId: `${arch.key}01`,
      ediId: EDI_IDS[arch.key] ?? arch.key,
      tin: `${rng.int(1, 9)}${rng.digits(8)}`,
      routing: `0${rng.digits(8)}`,
      account: rng.digits(10),
      address: { street: `PO BOX ${rng.int(1000, 99999)}`, city: a.city, state: a.state, zip: a.zip },
      fees: buildFees(rng, arch, setup.startDay, setup.endDay),
      isaSeq: 0,
      checkSeq: rng.int(100000, 900000),
    };
  });

  const practice: Practice = {
    index: setup.index,
    id,
    name,
    npi: npi(rng),
    tin: `${rng.int(1, 9)}${rng.digits(8)}`,
    submitterId: `SUB${rng.digits(6)}`,
    routing: `0${rng.digits(8)}`,
    account: rng.digits(10),
    region,
    locations,
    providers,
    payers,
    payerByKey: new Map(payers.map((p) => [p.id, p])),
    patients: [],
    nextPatientNo: 100001,
    chargeMaster,
    chargeRatioBp,
    traits,
    canaries: [],
  };

  // The established panel, registered before the window starts.
  const panelPerProvider = Math.max(60, Math.round(setup.visitsPerProviderDay * 60));
  for (const prov of providers) {
    for (let k = 0; k < panelPerProvider; k++) {
      const pt = newPatient(rng, practice, addMonths(setup.startDay, -rng.int(1, 120)));
      prov.panel.push(pt);
    }
  }
  // Canary patients: frequent visitors with distinctive surnames.
  for (let c = 0; c < 3; c++) {
    const prov = providers[c % providers.length] as Provider;
    const pt = newPatient(rng, practice, addMonths(setup.startDay, -rng.int(12, 60)));
    pt.last = CANARY_LAST_NAMES[(setup.index * 3 + c) % CANARY_LAST_NAMES.length] as string;
    pt.phone = `(${['907', '808', '406'][c]}) 555-01${String(10 + setup.index * 3 + c).slice(-2)}`;
    pt.address = `${rng.int(10, 99)} ${['ZEPHYRINE CT', 'MARIGOLD THISTLE WAY', 'OBSIDIAN HOLLOW RD'][c]}`;
    pt.weight = 6;
    pt.canary = true;
    practice.canaries.push(pt);
    prov.panel.push(pt);
  }
  return practice;
}

/**
 * Appends the Medigap plan to the practice's payers. It draws from its own stream and comes after every primary
 * payer, so the primary payers, their files and the rest of the simulation stay as they were.
 */
export function addSecondaryPayers(rng: Rng, practice: Practice): void {
  const a = address(rng, practice.region);
  const payer: PracticePayer = {
    arch: MEDIGAP,
    id: MEDIGAP.key,
    planId: `${MEDIGAP.key}01`,
    ediId: 'EVMG1',
    tin: `${rng.int(1, 9)}${rng.digits(8)}`,
    routing: `0${rng.digits(8)}`,
    account: rng.digits(10),
    address: { street: `PO BOX ${rng.int(1000, 99999)}`, city: a.city, state: a.state, zip: a.zip },
    fees: new Map(),
    isaSeq: 0,
    checkSeq: rng.int(100000, 900000),
  };
  practice.payers.push(payer);
  practice.payerByKey.set(payer.id, payer);
}

export interface SecondaryCoverage {
  payer: PracticePayer;
  memberId: string;
  /** Medigap: also pays the Part B deductible (otherwise the coinsurance and copays only). */
  paysDeductible: boolean;
}

/**
 * A patient's secondary coverage, decided by hashing the seed and the patient (no draw from any stream), so
 * adding secondaries changes no primary decision.
 */
export function secondaryCoverage(seed: string, practice: Practice, pt: Patient): SecondaryCoverage | null {
  const u = hashUnit(seed, practice.id, pt.id, 'secondary');
  const id = (payer: PracticePayer): string =>
    `${payer.id[0]}${String(Math.floor(hashUnit(seed, practice.id, pt.id, 'member') * 1e9)).padStart(9, '0')}`;
  if (pt.payer.arch.type === 'medicare') {
    if (u >= SECONDARY_COVERAGE.medigapShare) return null;
    const payer = practice.payerByKey.get(MEDIGAP.key) as PracticePayer;
    const paysDeductible =
      hashUnit(seed, practice.id, pt.id, 'plan') < SECONDARY_COVERAGE.medigapPaysDeductibleShare;
    return { payer, memberId: id(payer), paysDeductible };
  }
  if (pt.payer.arch.type === 'commercial' && u < SECONDARY_COVERAGE.commercialShare) {
    const others = practice.payers.filter(
      (p) => p.arch.type === 'commercial' && p.arch.mix > 0 && p !== pt.payer,
    );
    const payer = others[
      Math.floor(hashUnit(seed, practice.id, pt.id, 'other') * others.length)
    ] as PracticePayer;
    return { payer, memberId: id(payer), paysDeductible: true };
  }
  return null;
}

const EDI_IDS: Record<string, string> = {
  MCR: 'MCRB1',
  MAD: 'SMADV',
  MCD: 'SKMCD',
  ATL: 'ATLHP',
  BRB: 'BRBCB',
  NHP: 'NSHI1',
  WCO: 'KWCM1',
  SELF: '',
};

/** Contract rates per calendar year: base fee × payer multiple × escalator^years × per-contract noise. */
function buildFees(rng: Rng, arch: PayerArchetype, startDay: Day, endDay: Day): PracticePayer['fees'] {
  const fees: PracticePayer['fees'] = new Map();
  if (arch.type === 'self_pay') return fees;
  const y0 = yearOf(startDay);
  const y1 = yearOf(endDay) + 1;
  for (const p of Object.values(PROCEDURES)) {
    const periods: { from: Day; to: Day; cents: Cents }[] = [];
    const noiseBp = rng.int(9_700, 10_300);
    let cents = applyRate(applyRate(p.base, arch.feeBp), noiseBp);
    for (let y = y0; y <= y1; y++) {
      periods.push({ from: dayOf(`${y}-01-01`), to: dayOf(`${y}-12-31`), cents });
      const step = arch.type === 'medicare' ? rng.int(9_900, 10_250) : 10_000 + arch.escalatorBp;
      cents = applyRate(cents, step);
    }
    fees.set(p.code, periods);
  }
  return fees;
}

export function contractRate(payer: PracticePayer, cpt: string, day: Day): Cents {
  const periods = payer.fees.get(cpt);
  if (!periods) return 0n;
  for (const p of periods) if (day >= p.from && day <= p.to) return p.cents;
  return (periods[periods.length - 1] as { cents: Cents }).cents;
}

function pickPayer(rng: Rng, practice: Practice, age: number): PracticePayer {
  const by = (k: string) => practice.payerByKey.get(k) as PracticePayer;
  if (age >= 65) {
    const r = rng.next();
    return r < 0.68 ? by('MCR') : r < 0.97 ? by('MAD') : by('ATL');
  }
  const r = rng.next();
  if (r < 0.27) return by('ATL');
  if (r < 0.5) return by('BRB');
  const m = practice.traits.medicaidShift;
  if (r < 0.66 - m) return by('NHP');
  if (r < 0.88) return by('MCD');
  if (r < 0.96) return by('SELF');
  return by('WCO');
}

export function newPatient(rng: Rng, practice: Practice, registeredDay: Day): Patient {
  const who = person(rng);
  // Adult panel; ages skew older as in a family/internal-medicine practice.
  const ageBand = rng.weightedIndex([14, 16, 18, 20, 17, 10, 5]);
  const age = [18, 30, 40, 50, 65, 75, 85][ageBand] as number;
  const ageYears = age + rng.int(0, ageBand === 6 ? 8 : 9);
  const dob = registeredDay - ageYears * 365 - rng.int(0, 364);
  const payer = pickPayer(rng, practice, ageYears);
  const a = address(rng, practice.region);
  const pt: Patient = {
    id: String(practice.nextPatientNo++),
    first: who.first,
    middle: who.middle,
    last: who.last,
    dob,
    sex: who.sex,
    address: a.street,
    city: a.city,
    state: a.state,
    zip: a.zip,
    phone: phone(rng, practice.region.areaCode),
    payer,
    memberId: memberId(rng, payer.arch),
    registeredDay,
    weight: rng.chance(0.3) ? 3 : rng.chance(0.5) ? 1.5 : 0.6,
    copay: 0n,
    hdhp: false,
    deductibleYear: 0,
    deductibleLeft: 0n,
    canary: false,
    seenBy: new Set(),
  };
  pt.hdhp = payer.arch.type === 'commercial' && rng.chance(0.25);
  pt.copay = pt.hdhp ? 0n : rng.pick(payer.arch.copays);
  practice.patients.push(pt);
  return pt;
}
