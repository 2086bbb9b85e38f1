/**
 * A market's calendar (catalog/calendars/*), resolved to days: which local days are
 * weekends or public holidays, how much businesses and private customers order on each,
 * and which days follow another daily curve (Ramadan). Resolved a year at a time and kept,
 * so a day costs a map lookup: the engine asks once per day, an order once per draft.
 */
import type { CalendarRule, DateRule, MarketCalendar } from '../catalog/types.js';
import { DAY_MS, MINUTE_MS } from './time.js';

export interface CalendarDay {
  /** Local day number (days since 1970-01-01, local). */
  day: number;
  weekday: number;
  weekend: boolean;
  /** A public holiday: businesses closed. */
  closed: boolean;
  /** Businesses work: neither weekend nor a public holiday. */
  working: boolean;
  /** Multipliers of businesses' and private customers' orders (holidays, promotions, seasons). */
  b2b: number;
  b2c: number;
  /** The daily curve of these days, if a rule replaces the market's. */
  hourOfDay: number[] | null;
  /** The rules that apply. */
  names: string[];
}

const utcDay = (y: number, m: number, d: number) => Math.floor(Date.UTC(y, m - 1, d) / DAY_MS);
const weekdayOf = (day: number) => (((day + 4) % 7) + 7) % 7;
const dayOfIso = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/** Anchor days of a rule in year `y` (before offset and span). */
function anchors(on: DateRule, y: number, weekend: ReadonlySet<number>): number[] {
  if ('dates' in on) return on.dates.filter((d) => Number(d.slice(0, 4)) === y).map(dayOfIso);
  if ('ranges' in on) {
    const out: number[] = [];
    for (const [from, to] of on.ranges) {
      if (Number(from.slice(0, 4)) !== y) continue;
      for (let d = dayOfIso(from); d <= dayOfIso(to); d++) out.push(d);
    }
    return out;
  }
  if ('quarterEnd' in on) {
    const out: number[] = [];
    for (const month of [3, 6, 9, 12]) {
      let d = utcDay(y, month + 1, 1) - 1; // the quarter's last day
      for (let n = 0; n < on.quarterEnd; d--) {
        if (weekend.has(weekdayOf(d))) continue;
        out.push(d);
        n++;
      }
    }
    return out;
  }
  if ('day' in on) return [utcDay(y, on.month, on.day)];
  // The nth weekday of the month (nth -1: the last).
  if (on.nth > 0) {
    const first = utcDay(y, on.month, 1);
    return [first + ((on.weekday - weekdayOf(first) + 7) % 7) + 7 * (on.nth - 1)];
  }
  const last = utcDay(y, on.month + 1, 1) - 1;
  return [last - ((weekdayOf(last) - on.weekday + 7) % 7)];
}

export class CalendarIndex {
  private readonly weekend: ReadonlySet<number>;
  private readonly years = new Map<number, Map<number, CalendarRule[]>>();
  private readonly days = new Map<number, CalendarDay>();

  constructor(
    readonly calendar: MarketCalendar,
    private readonly offsetMinutes: number,
  ) {
    this.weekend = new Set(calendar.weekend);
  }

  /** The local day number of a UTC instant. */
  dayNumber(ms: number): number {
    return Math.floor((ms + this.offsetMinutes * MINUTE_MS) / DAY_MS);
  }

  /** The day an instant falls on. */
  at(ms: number): CalendarDay {
    return this.day(this.dayNumber(ms));
  }

  isWorkingDay(ms: number): boolean {
    return this.at(ms).working;
  }

  day(day: number): CalendarDay {
    let out = this.days.get(day);
    if (out) return out;
    const year = new Date(day * DAY_MS).getUTCFullYear();
    const rules = this.rulesOfYear(year).get(day) ?? [];
    const weekday = weekdayOf(day);
    const weekend = this.weekend.has(weekday);
    let b2b = 1;
    let b2c = 1;
    let closed = false;
    let hourOfDay: number[] | null = null;
    for (const r of rules) {
      b2b *= r.b2b ?? 1;
      b2c *= r.b2c ?? 1;
      closed ||= r.closed === true;
      if (r.hourOfDay) hourOfDay = r.hourOfDay;
    }
    out = { day, weekday, weekend, closed, working: !weekend && !closed, b2b, b2c, hourOfDay, names: rules.map((r) => r.name) };
    this.days.set(day, out);
    return out;
  }

  /** Every rule's days that fall in `year` (anchors of the neighbouring years too: offsets cross New Year). */
  private rulesOfYear(year: number): Map<number, CalendarRule[]> {
    let map = this.years.get(year);
    if (map) return map;
    map = new Map();
    const first = utcDay(year, 1, 1);
    const last = utcDay(year + 1, 1, 1) - 1;
    for (const rule of this.calendar.rules) {
      const seen = new Set<number>();
      for (const y of [year - 1, year, year + 1]) {
        for (const a of anchors(rule.on, y, this.weekend)) {
          const start = a + (rule.offsetDays ?? 0);
          for (let d = start; d < start + (rule.span ?? 1); d++) {
            if (d < first || d > last || seen.has(d)) continue;
            seen.add(d);
            const list = map.get(d) ?? [];
            list.push(rule);
            map.set(d, list);
          }
        }
      }
    }
    this.years.set(year, map);
    return map;
  }
}
