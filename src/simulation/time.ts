/** Time arithmetic in UTC milliseconds; local time is a fixed offset (no DST, for determinism). */
export const MINUTE_MS = 60_000;
export const HOUR_MS = 3_600_000;
export const DAY_MS = 86_400_000;

const PAD2 = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const PAD3 = Array.from({ length: 1000 }, (_, i) => String(i).padStart(3, '0'));
const dayPrefixes = new Map<number, string>();
let lastDay = Number.NaN;
let lastPrefix = '';

/**
 * Same output as Date.prototype.toISOString, about ten times faster: the simulation formats
 * several timestamps per record, and Date construction dominated the profile. The date
 * part is cached per UTC day; the time part is plain arithmetic.
 */
export function iso(ms: number): string {
  ms = Math.floor(ms);
  const day = Math.floor(ms / DAY_MS);
  let prefix = day === lastDay ? lastPrefix : dayPrefixes.get(day);
  if (prefix === undefined) {
    prefix = new Date(day * DAY_MS).toISOString().slice(0, 11);
    if (dayPrefixes.size > 100_000) dayPrefixes.clear();
    dayPrefixes.set(day, prefix);
  }
  lastDay = day;
  lastPrefix = prefix;
  let rest = ms - day * DAY_MS;
  const h = Math.floor(rest / HOUR_MS);
  rest -= h * HOUR_MS;
  const m = Math.floor(rest / MINUTE_MS);
  rest -= m * MINUTE_MS;
  const s = Math.floor(rest / 1000);
  return `${prefix}${PAD2[h]}:${PAD2[m]}:${PAD2[s]}.${PAD3[rest - s * 1000]}Z`;
}

/** UTC instant of local midnight of an ISO calendar date in a zone at `offsetMinutes`. */
export function localMidnight(date: string, offsetMinutes: number): number {
  return Date.parse(`${date}T00:00:00Z`) - offsetMinutes * MINUTE_MS;
}

/** Local weekday (0 = Sunday) of a UTC instant. */
export function localWeekday(ms: number, offsetMinutes: number): number {
  const day = Math.floor((ms + offsetMinutes * MINUTE_MS) / DAY_MS);
  return (((day + 4) % 7) + 7) % 7; // 1970-01-01 was a Thursday
}

/** Local calendar date (YYYY-MM-DD) of a UTC instant. */
export function localDate(ms: number, offsetMinutes: number): string {
  return new Date(ms + offsetMinutes * MINUTE_MS).toISOString().slice(0, 10);
}

/** Day of the year, 1-based, of a local midnight. */
export function dayOfYear(localMidnightMs: number, offsetMinutes: number): number {
  const d = new Date(localMidnightMs + offsetMinutes * MINUTE_MS);
  return Math.floor((d.getTime() - Date.UTC(d.getUTCFullYear(), 0, 1)) / DAY_MS) + 1;
}

export const round2 = (x: number): number => Math.round(x * 100) / 100;
export const toCents = (x: number): number => Math.round(x * 100);
