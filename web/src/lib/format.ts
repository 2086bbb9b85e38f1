import type { MarketInfo } from '../../../src/domain/web-api.js';
import { api } from './api.js';

const counts = new Intl.NumberFormat('en-US');
const moneyFormats = new Map<string, Intl.NumberFormat>();

export const count = (n: number | null | undefined): string => (n == null ? '—' : counts.format(n));

export function money(amount: number | null | undefined, currency = 'EGP'): string {
  if (amount == null) return '—';
  let f = moneyFormats.get(currency);
  if (!f) moneyFormats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 })));
  return f.format(amount);
}

/**
 * Times are shown in the market's local time (a fixed UTC offset, as the simulation uses),
 * with the zone written out. Until the server has said which market, UTC.
 */
let offsetMinutes = 0;
let zoneLabel = 'UTC';
export let market: MarketInfo | null = null;
export const marketReady: Promise<void> = api<MarketInfo>('/api/market').then(
  (m) => {
    market = m;
    offsetMinutes = m.utc_offset_minutes;
    const h = Math.trunc(Math.abs(m.utc_offset_minutes) / 60);
    const min = Math.abs(m.utc_offset_minutes) % 60;
    zoneLabel = m.utc_offset_minutes === 0 ? 'UTC' : `UTC${m.utc_offset_minutes < 0 ? '−' : '+'}${h}${min ? `:${String(min).padStart(2, '0')}` : ''}`;
  },
  () => undefined,
);

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZone: 'UTC' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZone: 'UTC' });
const local = (iso: string | number) => new Date(new Date(iso).getTime() + offsetMinutes * 60_000);

export const zone = (): string => zoneLabel;
export const time = (iso: string | number | null | undefined): string => (iso == null ? '—' : `${timeFormat.format(local(iso))} ${zoneLabel}`);
export const dateTime = (iso: string | number | null | undefined): string => (iso == null ? '—' : `${dateTimeFormat.format(local(iso))} ${zoneLabel}`);
export const percent = (x: number | null | undefined, digits = 0): string => (x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
export const label = (s: string): string => s.replace(/_/g, ' ');
export function ago(ms: number | null, now = Date.now()): string {
  if (ms == null) return 'no events yet';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 2 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}
