/**
 * Calendar arithmetic on day numbers (days since 1970-01-01, UTC). The generator never reads the clock:
 * every date and timestamp it writes is derived from the simulated calendar.
 */

const MS_PER_DAY = 86_400_000;

export type Day = number;

export function dayOf(iso: string): Day {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  if (!m) throw new Error(`not an ISO date: ${iso}`);
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  const day = t / MS_PER_DAY;
  if (isoOf(day) !== iso) throw new Error(`not a calendar date: ${iso}`);
  return day;
}

interface Parts {
  y: number;
  m: number;
  d: number;
  iso: string;
  compact: string;
  us: string;
  month: string;
  weekday: number;
}

const cache = new Map<Day, Parts>();

function parts(day: Day): Parts {
  let p = cache.get(day);
  if (p === undefined) {
    const dt = new Date(day * MS_PER_DAY);
    const y = dt.getUTCFullYear();
    const m = dt.getUTCMonth() + 1;
    const d = dt.getUTCDate();
    const yyyy = String(y).padStart(4, '0');
    const mm = String(m).padStart(2, '0');
    const dd = String(d).padStart(2, '0');
    p = {
      y,
      m,
      d,
      iso: `${yyyy}-${mm}-${dd}`,
      compact: `${yyyy}${mm}${dd}`,
      us: `${mm}/${dd}/${yyyy}`,
      month: `${yyyy}-${mm}`,
      weekday: dt.getUTCDay(),
    };
    cache.set(day, p);
  }
  return p;
}

export const isoOf = (day: Day): string => parts(day).iso;
/** CCYYMMDD, the X12 D8 format. */
export const ccyymmdd = (day: Day): string => parts(day).compact;
/** YYMMDD for ISA09. */
export const yymmdd = (day: Day): string => parts(day).compact.slice(2);
export const usDate = (day: Day): string => parts(day).us;
export const yearOf = (day: Day): number => parts(day).y;
export const monthOf = (day: Day): number => parts(day).m;
export const dayOfMonth = (day: Day): number => parts(day).d;
/** 0 = Sunday … 6 = Saturday. */
export const weekdayOf = (day: Day): number => parts(day).weekday;
export const isBusinessDay = (day: Day): boolean => {
  const w = parts(day).weekday;
  return w !== 0 && w !== 6;
};
/** 'YYYY-MM' */
export const monthKey = (day: Day): string => parts(day).month;

export function firstOfMonth(day: Day): Day {
  return day - parts(day).d + 1;
}

export function addMonths(day: Day, n: number): Day {
  const p = parts(day);
  const t = Date.UTC(p.y, p.m - 1 + n, 1);
  return t / MS_PER_DAY + (p.d - 1);
}

/** First business day on or after `day`. */
export function onOrAfterBusinessDay(day: Day): Day {
  let d = day;
  while (!isBusinessDay(d)) d++;
  return d;
}

/** `n` business days after `day` (n = 0 → the next business day on or after). */
export function addBusinessDays(day: Day, n: number): Day {
  let d = onOrAfterBusinessDay(day);
  for (let i = 0; i < n; i++) d = onOrAfterBusinessDay(d + 1);
  return d;
}
