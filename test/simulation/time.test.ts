import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { dayOfYear, iso, localDate, localMidnight, localWeekday } from '../../src/simulation/time.js';

describe('time helpers', () => {
  it('iso() matches Date.prototype.toISOString over a wide range, in any call order', () => {
    const rng = Rng.derive(1, 'iso');
    for (let i = 0; i < 200_000; i++) {
      const ms = Math.floor(rng.range(-2e12, 4e12));
      if (iso(ms) !== new Date(ms).toISOString()) expect(iso(ms)).toBe(new Date(ms).toISOString());
    }
  });

  it('localWeekday() matches the calendar in a zone', () => {
    const rng = Rng.derive(2, 'weekday');
    for (let i = 0; i < 50_000; i++) {
      const ms = Math.floor(rng.range(-2e12, 4e12));
      const offset = rng.int(-720, 840);
      expect(localWeekday(ms, offset)).toBe(new Date(ms + offset * 60_000).getUTCDay());
    }
  });

  it('finds local midnight, date and day of year for a zone', () => {
    const cairo = 120;
    const midnight = localMidnight('2024-03-01', cairo);
    expect(new Date(midnight).toISOString()).toBe('2024-02-29T22:00:00.000Z');
    expect(localDate(midnight, cairo)).toBe('2024-03-01');
    expect(dayOfYear(midnight, cairo)).toBe(61);
    expect(localWeekday(midnight, cairo)).toBe(5); // a Friday
  });
});
