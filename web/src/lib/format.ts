import type { MarketInfo } from '../../../src/domain/web-api.js';
import type { StreamStatus } from './stream.js';

const counts = new Intl.NumberFormat('en-US');
const moneyFormats = new Map<string, Intl.NumberFormat>();
const compactMoneyFormats = new Map<string, Intl.NumberFormat>();

export const count = (n: number | null | undefined): string => (n == null ? '—' : counts.format(n));

export function money(amount: number | null | undefined, currency = 'EGP'): string {
  if (amount == null) return '—';
  let f = moneyFormats.get(currency);
  if (!f) moneyFormats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 })));
  return f.format(amount);
}

/**
 * An amount for a card's big number: exact below a million, compact from there on
 * (EGP 28.7M: the exact figure belongs in the card's small print). The space after the
 * currency is an ordinary one, so a narrow card wraps there and never inside the figure.
 */
export function moneyShort(amount: number | null | undefined, currency = 'EGP'): string {
  if (amount == null) return '—';
  if (Math.abs(amount) < 1_000_000) return money(amount, currency).replace(/\u00a0/g, ' ');
  let f = compactMoneyFormats.get(currency);
  if (!f) compactMoneyFormats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, notation: 'compact', maximumFractionDigits: 1 })));
  return f.format(amount).replace(/\u00a0/g, ' ');
}

/**
 * Times are shown in the market's local time (a fixed UTC offset, as the simulation uses),
 * with the zone written out. Until the server has said which market (lib/market.ts), UTC.
 */
let offsetMinutes = 0;
let zoneLabel = 'UTC';
export let market: MarketInfo | null = null;
export function setMarket(m: MarketInfo | null): void {
  market = m;
  offsetMinutes = m?.utc_offset_minutes ?? 0;
  const h = Math.trunc(Math.abs(offsetMinutes) / 60);
  const min = Math.abs(offsetMinutes) % 60;
  zoneLabel = offsetMinutes === 0 ? 'UTC' : `UTC${offsetMinutes < 0 ? '−' : '+'}${h}${min ? `:${String(min).padStart(2, '0')}` : ''}`;
}

// en-GB: 24-hour. Each formats a shifted instant in UTC, i.e. the market's wall clock.
const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });
const hourMinuteFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const dayFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const local = (iso: string | number) => new Date(new Date(iso).getTime() + offsetMinutes * 60_000);

export const zone = (): string => zoneLabel;
export const time = (iso: string | number | null | undefined): string => (iso == null ? '—' : `${timeFormat.format(local(iso))} ${zoneLabel}`);
export const dateTime = (iso: string | number | null | undefined): string => (iso == null ? '—' : `${dateTimeFormat.format(local(iso))} ${zoneLabel}`);

/**
 * A time axis' labels (unix seconds, `step` apart), in the market's time like every other time
 * (the chart writes the zone once, not on each tick): 24-hour, seconds only when ticks are less
 * than a minute apart, the date where a day begins and when ticks are a day or more apart.
 * With `dates`, the values are calendar days written as UTC midnights (or noons), labelled as such.
 */
export function axisTimes(ticks: readonly number[], step: number, dates = false): string[] {
  return ticks.map((t) => {
    const d = dates ? new Date(t * 1000) : local(t * 1000);
    if (dates || step >= 86_400 || (d.getUTCHours() === 0 && d.getUTCMinutes() === 0 && d.getUTCSeconds() === 0)) return dayFormat.format(d);
    return (step < 60 ? timeFormat : hourMinuteFormat).format(d);
  });
}

/**
 * A Date whose local fields read the market's wall clock at `t` (unix seconds): how a uPlot
 * time scale (`tzDate`) is told the zone, so its ticks fall on the market's whole minutes, hours and days.
 */
export function wallClock(t: number, dates = false): Date {
  const d = dates ? new Date(t * 1000) : local(t * 1000);
  return new Date(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate(), d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds(), d.getUTCMilliseconds());
}

export const percent = (x: number | null | undefined, digits = 0): string => (x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
export const label = (s: string): string => s.replace(/_/g, ' ');
export function ago(ms: number | null, now = Date.now()): string {
  if (ms == null) return 'no events yet';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 2 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

/**
 * The header's "last event": when the newest event reached this page, and its seq. Before the
 * first one the page only knows where the server stood when it connected: said as such, not as
 * the seq of an event the page has seen.
 */
export function lastEvent(s: Pick<StreamStatus, 'lastSeq' | 'lastEventAt'>, now = Date.now()): string {
  if (s.lastEventAt != null) return `last event ${ago(s.lastEventAt, now)} · seq ${s.lastSeq}`;
  return s.lastSeq > 0 ? `no events yet (server at seq ${s.lastSeq})` : 'no events yet';
}
