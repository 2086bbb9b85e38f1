const counts = new Intl.NumberFormat('en-US');
const moneyFormats = new Map<string, Intl.NumberFormat>();

export const count = (n: number | null | undefined): string => (n == null ? '—' : counts.format(n));

export function money(amount: number | null | undefined, currency = 'EGP'): string {
  if (amount == null) return '—';
  let f = moneyFormats.get(currency);
  if (!f) moneyFormats.set(currency, (f = new Intl.NumberFormat('en-US', { style: 'currency', currency, maximumFractionDigits: 2 })));
  return f.format(amount);
}

const timeFormat = new Intl.DateTimeFormat('en-GB', { hour: '2-digit', minute: '2-digit', second: '2-digit', timeZoneName: 'short' });
const dateTimeFormat = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', hour: '2-digit', minute: '2-digit', timeZoneName: 'short' });

export const time = (iso: string | number | null | undefined): string => (iso == null ? '—' : timeFormat.format(new Date(iso)));
export const dateTime = (iso: string | number | null | undefined): string => (iso == null ? '—' : dateTimeFormat.format(new Date(iso)));
export const percent = (x: number | null | undefined, digits = 0): string => (x == null || !Number.isFinite(x) ? '—' : `${(x * 100).toFixed(digits)}%`);
export const label = (s: string): string => s.replace(/_/g, ' ');
export function ago(ms: number | null, now = Date.now()): string {
  if (ms == null) return 'no events yet';
  const s = Math.max(0, Math.round((now - ms) / 1000));
  return s < 2 ? 'just now' : s < 60 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}
