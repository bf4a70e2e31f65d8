/**
 * Reference data the generator draws from: procedure codes with a Medicare-like base fee, diagnoses,
 * payer archetypes, denial categories with CARC/RARC codes, 277CA status codes and fake-name lists.
 *
 * Base fees are rounded magnitudes shaped like a national non-facility physician fee schedule for
 * family practice; they are synthetic defaults, not published rates. Everything that is a realism figure
 * with a published source is named in docs/sample-data.md.
 */

import type { Cents } from '../money.ts';

export interface Procedure {
  code: string;
  /** Medicare-like allowed amount per unit, cents. */
  base: Cents;
  description: string;
}

export const PROCEDURES: Record<string, Procedure> = {
  '99202': { code: '99202', base: 7_300n, description: 'Office visit, new, straightforward' },
  '99203': { code: '99203', base: 11_300n, description: 'Office visit, new, low MDM' },
  '99204': { code: '99204', base: 16_800n, description: 'Office visit, new, moderate MDM' },
  '99205': { code: '99205', base: 22_200n, description: 'Office visit, new, high MDM' },
  '99211': { code: '99211', base: 2_300n, description: 'Office visit, established, minimal' },
  '99212': { code: '99212', base: 5_700n, description: 'Office visit, established, straightforward' },
  '99213': { code: '99213', base: 9_200n, description: 'Office visit, established, low MDM' },
  '99214': { code: '99214', base: 13_000n, description: 'Office visit, established, moderate MDM' },
  '99215': { code: '99215', base: 18_400n, description: 'Office visit, established, high MDM' },
  '99386': { code: '99386', base: 16_500n, description: 'Preventive visit, new, 40-64' },
  '99395': { code: '99395', base: 12_900n, description: 'Preventive visit, established, 18-39' },
  '99396': { code: '99396', base: 13_900n, description: 'Preventive visit, established, 40-64' },
  '99397': { code: '99397', base: 15_000n, description: 'Preventive visit, established, 65+' },
  G0438: { code: 'G0438', base: 17_000n, description: 'Annual wellness visit, initial' },
  G0439: { code: 'G0439', base: 13_400n, description: 'Annual wellness visit, subsequent' },
  '36415': { code: '36415', base: 300n, description: 'Routine venipuncture' },
  '85025': { code: '85025', base: 780n, description: 'Complete blood count with differential' },
  '80053': { code: '80053', base: 1_060n, description: 'Comprehensive metabolic panel' },
  '80061': { code: '80061', base: 1_330n, description: 'Lipid panel' },
  '83036': { code: '83036', base: 970n, description: 'Hemoglobin A1c' },
  '90471': { code: '90471', base: 1_700n, description: 'Immunization administration' },
  '90686': { code: '90686', base: 2_050n, description: 'Influenza vaccine, quadrivalent' },
  '93000': { code: '93000', base: 1_650n, description: 'Electrocardiogram with interpretation' },
  '3074F': { code: '3074F', base: 0n, description: 'Systolic BP < 130 (quality code)' },
  '3078F': { code: '3078F', base: 0n, description: 'Diastolic BP < 80 (quality code)' },
};

export const NEW_EM = ['99202', '99203', '99204', '99205'] as const;
export const EST_EM = ['99211', '99212', '99213', '99214', '99215'] as const;

/**
 * E/M level benchmarks (domain reference §4): established 99211–99215, Medicare family practice ≈2015
 * (AAFP FPM); new 99202–99205, post-2021 family medicine.
 */
export const EST_EM_BENCHMARK = [2.6, 2.8, 43.2, 48.4, 2.9];
export const NEW_EM_BENCHMARK = [3.6, 39.4, 51, 6];
/** The planted outliers: one provider codes clearly high, one clearly low. */
export const EST_EM_HIGH = [1.0, 1.5, 22.0, 55.5, 20.0];
export const EST_EM_LOW = [5.0, 12.0, 63.0, 19.5, 0.5];
export const NEW_EM_HIGH = [1.0, 15.0, 54.0, 30.0];
export const NEW_EM_LOW = [10.0, 62.0, 27.0, 1.0];

export interface Diagnosis {
  code: string; // with the dot
  weight: number;
}

export const DIAGNOSES: Diagnosis[] = [
  { code: 'I10', weight: 14 },
  { code: 'E11.9', weight: 9 },
  { code: 'E78.5', weight: 9 },
  { code: 'J06.9', weight: 6 },
  { code: 'M54.50', weight: 4 },
  { code: 'F41.1', weight: 3 },
  { code: 'F32.A', weight: 2 },
  { code: 'J45.909', weight: 2 },
  { code: 'E66.9', weight: 3 },
  { code: 'R05.9', weight: 3 },
  { code: 'N39.0', weight: 2 },
  { code: 'K21.9', weight: 3 },
  { code: 'E03.9', weight: 3 },
  { code: 'G47.00', weight: 1 },
  { code: 'M17.11', weight: 1 },
  { code: 'E55.9', weight: 2 },
  { code: 'R51.9', weight: 1 },
  { code: 'L30.9', weight: 1 },
  { code: 'Z79.4', weight: 2 },
  { code: 'J02.9', weight: 2 },
];

export type PayerType = 'medicare' | 'medicare_advantage' | 'medicaid' | 'commercial' | 'self_pay' | 'other';

export interface PayerArchetype {
  key: string;
  name: string;
  type: PayerType;
  planName: string;
  /** Share of the panel (payer mix). */
  mix: number;
  /** Allowed amount as a multiple of the Medicare-like base fee, in basis points (10000 = 100 %). */
  feeBp: number;
  /** Annual fee escalator in basis points applied every 1 January. */
  escalatorBp: number;
  /** Claim filing indicator (CLP06 / SBR09). */
  filing: string;
  /** Payment lag (acceptance → remittance), log-normal median and sigma in days, and a floor. */
  lagMedian: number;
  lagSigma: number;
  lagMin: number;
  /** Weekdays on which the payer runs payments (0 = Sunday). */
  runDays: number[];
  method: 'ACH' | 'CHK';
  /** Initial claim denial probability. */
  denial: number;
  /** Office-visit copay choices in cents (0 = none), coinsurance in bp, annual deductible in cents. */
  copays: Cents[];
  coinsuranceBp: number;
  deductible: Cents;
  sequestration: boolean;
  timelyFilingDays: number;
  x12Style: 'fixed2' | 'trimmed';
  /** Pays interest (PLB L6) on clean claims paid later than this many days after receipt; 0 = never. */
  interestAfterDays: number;
  /** Reports a whole-claim denial at claim level (CAS after CLP, MOA remark, no service lines). */
  claimLevelDenials: boolean;
}

/**
 * Payer archetypes. Lags mirror the AMA National Health Insurer Report Card shape (Medicare and the fast
 * commercial payer pay most claims within 15 days, the slow one a third later); names are fictitious.
 */
export const PAYERS: PayerArchetype[] = [
  {
    key: 'MCR',
    name: 'MEDICARE PART B',
    type: 'medicare',
    planName: 'Medicare Part B',
    mix: 21,
    feeBp: 10_000,
    escalatorBp: 0,
    filing: 'MB',
    lagMedian: 15,
    lagSigma: 0.12,
    lagMin: 14,
    runDays: [2, 5],
    method: 'ACH',
    denial: 0.055,
    copays: [0n],
    coinsuranceBp: 2_000,
    deductible: 24_000n,
    sequestration: true,
    timelyFilingDays: 365,
    x12Style: 'fixed2',
    interestAfterDays: 30,
    claimLevelDenials: false,
  },
  {
    key: 'MAD',
    name: 'SUMMIT MEDICARE ADVANTAGE',
    type: 'medicare_advantage',
    planName: 'Summit Senior Advantage HMO',
    mix: 9,
    feeBp: 10_000,
    escalatorBp: 150,
    filing: '16',
    lagMedian: 18,
    lagSigma: 0.35,
    lagMin: 5,
    runDays: [3],
    method: 'ACH',
    denial: 0.08,
    copays: [0n, 1_000n, 1_500n],
    coinsuranceBp: 0,
    deductible: 0n,
    sequestration: false,
    timelyFilingDays: 180,
    x12Style: 'trimmed',
    interestAfterDays: 0,
    claimLevelDenials: false,
  },
  {
    key: 'MCD',
    name: 'STATE MEDICAID PROGRAM',
    type: 'medicaid',
    planName: 'Medicaid Fee-for-Service',
    mix: 14,
    feeBp: 6_600,
    escalatorBp: 0,
    filing: 'MC',
    lagMedian: 24,
    lagSigma: 0.35,
    lagMin: 10,
    runDays: [1],
    method: 'ACH',
    denial: 0.105,
    copays: [0n, 0n, 0n, 300n],
    coinsuranceBp: 0,
    deductible: 0n,
    sequestration: false,
    timelyFilingDays: 365,
    x12Style: 'trimmed',
    interestAfterDays: 0,
    claimLevelDenials: true,
  },
  {
    key: 'ATL',
    name: 'ATLAS HEALTH PLAN',
    type: 'commercial',
    planName: 'Atlas Choice PPO',
    mix: 20,
    feeBp: 14_300,
    escalatorBp: 300,
    filing: 'CI',
    lagMedian: 8,
    lagSigma: 0.45,
    lagMin: 3,
    runDays: [2, 4],
    method: 'ACH',
    denial: 0.04,
    copays: [2_500n, 3_000n, 4_000n],
    coinsuranceBp: 2_000,
    deductible: 100_000n,
    sequestration: false,
    timelyFilingDays: 90,
    x12Style: 'fixed2',
    interestAfterDays: 30,
    claimLevelDenials: false,
  },
  {
    key: 'BRB',
    name: 'BLUE RIVER BCBS',
    type: 'commercial',
    planName: 'Blue River PPO',
    mix: 17,
    feeBp: 13_800,
    escalatorBp: 250,
    filing: 'BL',
    lagMedian: 11,
    lagSigma: 0.4,
    lagMin: 4,
    runDays: [4],
    method: 'ACH',
    denial: 0.05,
    copays: [2_000n, 3_000n, 3_500n],
    coinsuranceBp: 2_000,
    deductible: 150_000n,
    sequestration: false,
    timelyFilingDays: 180,
    x12Style: 'fixed2',
    interestAfterDays: 0,
    claimLevelDenials: false,
  },
  {
    key: 'NHP',
    name: 'NORTHSTAR HEALTH INSURANCE',
    type: 'commercial',
    planName: 'Northstar Open Access',
    mix: 12,
    feeBp: 15_200,
    escalatorBp: 300,
    filing: 'CI',
    lagMedian: 19,
    lagSigma: 0.6,
    lagMin: 5,
    runDays: [1, 4],
    method: 'ACH',
    denial: 0.07,
    copays: [3_000n, 4_000n, 5_000n],
    coinsuranceBp: 2_000,
    deductible: 200_000n,
    sequestration: false,
    timelyFilingDays: 120,
    x12Style: 'trimmed',
    interestAfterDays: 45,
    claimLevelDenials: false,
  },
  {
    key: 'WCO',
    name: 'KEYSTONE WORKERS COMP MUTUAL',
    type: 'other',
    planName: 'Workers Compensation',
    mix: 2,
    feeBp: 12_000,
    escalatorBp: 0,
    filing: 'WC',
    lagMedian: 28,
    lagSigma: 0.5,
    lagMin: 10,
    runDays: [3],
    method: 'CHK',
    denial: 0.09,
    copays: [0n],
    coinsuranceBp: 0,
    deductible: 0n,
    sequestration: false,
    timelyFilingDays: 365,
    x12Style: 'fixed2',
    interestAfterDays: 0,
    claimLevelDenials: true,
  },
  {
    key: 'SELF',
    name: 'SELF PAY',
    type: 'self_pay',
    planName: 'Self Pay',
    mix: 5,
    feeBp: 0,
    escalatorBp: 0,
    filing: '09',
    lagMedian: 0,
    lagSigma: 0,
    lagMin: 0,
    runDays: [],
    method: 'CHK',
    denial: 0,
    copays: [0n],
    coinsuranceBp: 0,
    deductible: 0n,
    sequestration: false,
    timelyFilingDays: 0,
    x12Style: 'fixed2',
    interestAfterDays: 0,
    claimLevelDenials: false,
  },
];

/**
 * The Medicare supplement (Medigap) plan that receives Medicare's crossovers. It has no fee schedule of its own:
 * it pays from Medicare's adjudication (the coinsurance, and the Part B deductible on plans that cover it).
 */
export const MEDIGAP: PayerArchetype = {
  key: 'MGP',
  name: 'EVERGREEN MEDIGAP',
  type: 'commercial',
  planName: 'Evergreen Medicare Supplement',
  mix: 0,
  feeBp: 10_000,
  escalatorBp: 0,
  filing: 'CI',
  lagMedian: 7,
  lagSigma: 0.3,
  lagMin: 3,
  runDays: [4],
  method: 'ACH',
  denial: 0,
  copays: [0n],
  coinsuranceBp: 0,
  deductible: 0n,
  sequestration: false,
  timelyFilingDays: 365,
  x12Style: 'trimmed',
  interestAfterDays: 0,
  claimLevelDenials: false,
};

/**
 * Share of patients with secondary coverage (*estimates*): traditional-Medicare beneficiaries with a Medigap plan
 * (about four in ten), a quarter of them on a plan that also pays the Part B deductible; commercial members with
 * a second commercial plan (e.g. a spouse's employer plan). A commercial secondary pays `commercialPaysBp` of
 * each deductible, coinsurance and copay the primary left to the patient.
 */
export const SECONDARY_COVERAGE = {
  medigapShare: 0.4,
  medigapPaysDeductibleShare: 0.25,
  commercialShare: 0.07,
  commercialPaysBp: 8_000,
};

export interface DenialCategory {
  key: string;
  /** Share of initial denials (domain reference §4: about half front-end). */
  weight: number;
  /** group, CARC, RARC choices */
  codes: { group: 'CO' | 'PR' | 'OA' | 'PI'; carc: string; rarc: string }[];
  /** Claim-level (all lines) or one secondary line. */
  scope: 'claim' | 'line';
  /** Share of such denials the practice recovers (corrects and gets paid). */
  recoverable: number;
  frontEnd: boolean;
}

export const DENIAL_CATEGORIES: DenialCategory[] = [
  {
    key: 'eligibility',
    weight: 25,
    codes: [
      { group: 'CO', carc: '27', rarc: 'N30' },
      { group: 'CO', carc: '31', rarc: 'N30' },
      { group: 'CO', carc: '109', rarc: 'N418' },
    ],
    scope: 'claim',
    recoverable: 0.75,
    frontEnd: true,
  },
  {
    key: 'authorization',
    weight: 12,
    codes: [
      { group: 'CO', carc: '197', rarc: 'N54' },
      { group: 'CO', carc: '198', rarc: 'N54' },
    ],
    scope: 'claim',
    recoverable: 0.6,
    frontEnd: true,
  },
  {
    key: 'non_covered',
    weight: 10,
    codes: [
      { group: 'PR', carc: '96', rarc: 'N130' },
      { group: 'CO', carc: '204', rarc: 'N130' },
    ],
    scope: 'line',
    recoverable: 0.3,
    frontEnd: true,
  },
  {
    key: 'coordination_of_benefits',
    weight: 4,
    codes: [{ group: 'OA', carc: '22', rarc: 'MA04' }],
    scope: 'claim',
    recoverable: 0.85,
    frontEnd: true,
  },
  {
    key: 'missing_information',
    weight: 15,
    codes: [
      { group: 'CO', carc: '16', rarc: 'MA130' },
      { group: 'CO', carc: '16', rarc: 'N290' },
      { group: 'CO', carc: '252', rarc: 'N706' },
    ],
    scope: 'claim',
    recoverable: 0.9,
    frontEnd: false,
  },
  {
    key: 'coding',
    weight: 10,
    codes: [
      { group: 'CO', carc: '4', rarc: 'M51' },
      { group: 'CO', carc: '11', rarc: 'M76' },
      { group: 'CO', carc: '181', rarc: 'M51' },
    ],
    scope: 'claim',
    recoverable: 0.85,
    frontEnd: false,
  },
  {
    key: 'bundling',
    weight: 8,
    codes: [
      { group: 'CO', carc: '97', rarc: 'M15' },
      { group: 'CO', carc: '234', rarc: 'M15' },
    ],
    scope: 'line',
    recoverable: 0.2,
    frontEnd: false,
  },
  {
    key: 'medical_necessity',
    weight: 7,
    codes: [
      { group: 'CO', carc: '50', rarc: 'N115' },
      { group: 'CO', carc: '167', rarc: 'N386' },
    ],
    scope: 'claim',
    recoverable: 0.5,
    frontEnd: false,
  },
  {
    key: 'duplicate',
    weight: 4,
    codes: [{ group: 'OA', carc: '18', rarc: 'M86' }],
    scope: 'claim',
    recoverable: 0.05,
    frontEnd: false,
  },
  {
    key: 'timely_filing',
    weight: 2,
    codes: [{ group: 'CO', carc: '29', rarc: 'N211' }],
    scope: 'claim',
    recoverable: 0.1,
    frontEnd: false,
  },
  {
    key: 'credentialing',
    weight: 3,
    codes: [
      { group: 'CO', carc: '185', rarc: 'N290' },
      { group: 'CO', carc: 'B7', rarc: 'N570' },
    ],
    scope: 'claim',
    recoverable: 0.8,
    frontEnd: false,
  },
];

/** 277CA rejections: category (A3/A6/A7), status code (code list 508) and entity, with a short text. */
export const CA_REJECTIONS: {
  category: 'A3' | 'A6' | 'A7';
  status: string;
  entity: string;
  text: string;
  eligibility: boolean;
}[] = [
  {
    category: 'A7',
    status: '97',
    entity: 'IL',
    text: 'Patient eligibility not found with entity',
    eligibility: true,
  },
  {
    category: 'A7',
    status: '164',
    entity: 'IL',
    text: "Entity's contract/member number invalid",
    eligibility: true,
  },
  { category: 'A7', status: '158', entity: 'QC', text: "Entity's date of birth invalid", eligibility: true },
  {
    category: 'A7',
    status: '562',
    entity: '85',
    text: "Entity's National Provider Identifier (NPI) invalid",
    eligibility: false,
  },
  { category: 'A6', status: '21', entity: '', text: 'Missing or invalid information', eligibility: false },
  { category: 'A7', status: '187', entity: '', text: 'Date(s) of service invalid', eligibility: false },
  {
    category: 'A7',
    status: '454',
    entity: '',
    text: 'Procedure code for services rendered invalid',
    eligibility: false,
  },
  {
    category: 'A3',
    status: '116',
    entity: '',
    text: 'Claim submitted to the incorrect payer',
    eligibility: true,
  },
];

/** 999 IK3/IK4 syntax errors used when a transaction set is rejected. */
export const SYNTAX_ERRORS: {
  segment: string;
  position: number;
  loop: string;
  elementPos: number;
  element: string;
  code: string;
}[] = [
  { segment: 'NM1', position: 17, loop: '2010BA', elementPos: 9, element: '67', code: '7' },
  { segment: 'CLM', position: 38, loop: '2300', elementPos: 2, element: '782', code: '6' },
  { segment: 'DTP', position: 45, loop: '2400', elementPos: 3, element: '1251', code: '8' },
  { segment: 'REF', position: 12, loop: '2010AA', elementPos: 2, element: '127', code: '1' },
];

// --- fake identities -------------------------------------------------------------------------------

export const FIRST_NAMES_F = [
  'MARY',
  'PATRICIA',
  'JENNIFER',
  'LINDA',
  'ELIZABETH',
  'BARBARA',
  'SUSAN',
  'JESSICA',
  'SARAH',
  'KAREN',
  'LISA',
  'NANCY',
  'BETTY',
  'SANDRA',
  'MARGARET',
  'ASHLEY',
  'KIMBERLY',
  'EMILY',
  'DONNA',
  'MICHELLE',
  'CAROL',
  'AMANDA',
  'MELISSA',
  'DEBORAH',
  'STEPHANIE',
  'REBECCA',
  'LAURA',
  'HELEN',
  'SHARON',
  'CYNTHIA',
  'KATHLEEN',
  'AMY',
  'ANGELA',
  'SHIRLEY',
  'ANNA',
  'RUTH',
  'BRENDA',
  'PAMELA',
  'NICOLE',
  'KATHERINE',
  'MARIA',
  'ROSA',
  'GUADALUPE',
  'CAMILA',
  'SOFIA',
  'AALIYAH',
  'MAYA',
  'PRIYA',
  'MEI',
  'FATIMA',
];
export const FIRST_NAMES_M = [
  'JAMES',
  'ROBERT',
  'JOHN',
  'MICHAEL',
  'DAVID',
  'WILLIAM',
  'RICHARD',
  'JOSEPH',
  'THOMAS',
  'CHARLES',
  'CHRISTOPHER',
  'DANIEL',
  'MATTHEW',
  'ANTHONY',
  'MARK',
  'DONALD',
  'STEVEN',
  'PAUL',
  'ANDREW',
  'JOSHUA',
  'KENNETH',
  'KEVIN',
  'BRIAN',
  'GEORGE',
  'TIMOTHY',
  'RONALD',
  'EDWARD',
  'JASON',
  'JEFFREY',
  'RYAN',
  'JACOB',
  'GARY',
  'NICHOLAS',
  'ERIC',
  'JONATHAN',
  'STEPHEN',
  'LARRY',
  'JUSTIN',
  'SCOTT',
  'BRANDON',
  'JOSE',
  'LUIS',
  'CARLOS',
  'MIGUEL',
  'DARNELL',
  'MALIK',
  'RAJ',
  'WEI',
  'OMAR',
  'HIROSHI',
];
export const LAST_NAMES = [
  'SMITH',
  'JOHNSON',
  'WILLIAMS',
  'BROWN',
  'JONES',
  'GARCIA',
  'MILLER',
  'DAVIS',
  'RODRIGUEZ',
  'MARTINEZ',
  'HERNANDEZ',
  'LOPEZ',
  'GONZALEZ',
  'WILSON',
  'ANDERSON',
  'THOMAS',
  'TAYLOR',
  'MOORE',
  'JACKSON',
  'MARTIN',
  'LEE',
  'PEREZ',
  'THOMPSON',
  'WHITE',
  'HARRIS',
  'SANCHEZ',
  'CLARK',
  'RAMIREZ',
  'LEWIS',
  'ROBINSON',
  'WALKER',
  'YOUNG',
  'ALLEN',
  'KING',
  'WRIGHT',
  'SCOTT',
  'TORRES',
  'NGUYEN',
  'HILL',
  'FLORES',
  'GREEN',
  'ADAMS',
  'NELSON',
  'BAKER',
  'HALL',
  'RIVERA',
  'CAMPBELL',
  'MITCHELL',
  'CARTER',
  'ROBERTS',
  'GOMEZ',
  'PHILLIPS',
  'EVANS',
  'TURNER',
  'DIAZ',
  'PARKER',
  'CRUZ',
  'EDWARDS',
  'COLLINS',
  'REYES',
  'STEWART',
  'MORRIS',
  'MORALES',
  'MURPHY',
  'COOK',
  'ROGERS',
  'GUTIERREZ',
  'ORTIZ',
  'MORGAN',
  'COOPER',
  'PETERSON',
  'BAILEY',
  'REED',
  'KELLY',
  'HOWARD',
  'RAMOS',
  'KIM',
  'COX',
  'WARD',
  'RICHARDSON',
  "O'BRIEN",
  'MCALLISTER',
  'NOWAK',
  'KOWALSKI',
  'PATEL',
  'SHAH',
  'CHEN',
  'WANG',
  'OKAFOR',
  'MUELLER',
];
export const STREET_NAMES = [
  'MAPLE',
  'OAK',
  'CEDAR',
  'ELM',
  'PINE',
  'WALNUT',
  'LAUREL',
  'HILLCREST',
  'LAKEVIEW',
  'SUNSET',
  'RIVERSIDE',
  'PARK',
  'WASHINGTON',
  'LINCOLN',
  'MADISON',
  'JEFFERSON',
  'HIGHLAND',
  'MEADOW',
  'ORCHARD',
  'BIRCH',
];
export const STREET_SUFFIXES = ['ST', 'AVE', 'RD', 'DR', 'LN', 'CT', 'BLVD', 'WAY', 'PL'];

/** Fictitious towns with a plausible state and ZIP prefix; one practice region is drawn per practice. */
export const REGIONS: { state: string; areaCode: string; towns: { city: string; zip3: string }[] }[] = [
  {
    state: 'OH',
    areaCode: '614',
    towns: [
      { city: 'MILLBROOK', zip3: '430' },
      { city: 'CEDAR FALLS', zip3: '431' },
      { city: 'NEW HAVENWOOD', zip3: '432' },
      { city: 'ASHTON', zip3: '430' },
    ],
  },
  {
    state: 'PA',
    areaCode: '717',
    towns: [
      { city: 'BRIDGEPORT HILLS', zip3: '170' },
      { city: 'LAUREL RIDGE', zip3: '171' },
      { city: 'FAIRVIEW', zip3: '172' },
      { city: 'STONEBRIDGE', zip3: '173' },
    ],
  },
  {
    state: 'NC',
    areaCode: '919',
    towns: [
      { city: 'PINE HOLLOW', zip3: '275' },
      { city: 'WESTBURY', zip3: '276' },
      { city: 'OAK GROVE', zip3: '277' },
      { city: 'CLEARWATER', zip3: '275' },
    ],
  },
  {
    state: 'AZ',
    areaCode: '480',
    towns: [
      { city: 'DESERT SPRINGS', zip3: '852' },
      { city: 'SUNRIDGE', zip3: '853' },
      { city: 'MESA VERDE', zip3: '852' },
      { city: 'CANYON VIEW', zip3: '853' },
    ],
  },
];

export const PRACTICE_NAMES = [
  'MAPLE GROVE FAMILY MEDICINE',
  'RIVERBEND PRIMARY CARE',
  'HILLSIDE FAMILY PHYSICIANS',
  'LAKESHORE INTERNAL MEDICINE',
  'CEDAR VALLEY HEALTH PARTNERS',
  'NORTHGATE FAMILY PRACTICE',
  'SUMMIT PRIMARY CARE ASSOCIATES',
  'WILLOW CREEK MEDICAL GROUP',
];

export const CREDENTIALS = ['MD', 'MD', 'DO', 'MD', 'NP', 'PA'];
export const SPECIALTIES: { name: string; taxonomy: string }[] = [
  { name: 'Family Medicine', taxonomy: '207Q00000X' },
  { name: 'Internal Medicine', taxonomy: '207R00000X' },
];
export const NP_TAXONOMY = '363LF0000X';
export const PA_TAXONOMY = '363A00000X';

/** Canary surnames: realistic-looking, but rare enough that any hit in report output is a leak. */
export const CANARY_LAST_NAMES = [
  'QUILLFEATHER',
  'VANTONGEREN',
  'ABERNATHY-SZABO',
  'OSTROWICZKA',
  'MCGILLICUDDY',
  'THORNQUIST',
  'DELACROIX-WYNN',
  'FAIRWEATHERBY',
  'KRZYZANOWSKA',
  'BALLANTYNE-OKORO',
];
