/** The time-series engine: hour-of-day and weekday curves, seasons, bursts and spread days. */
import { beforeAll, describe, expect, it } from 'vitest';
import type { World } from '../../src/simulation/world.js';
import { localWeekday } from '../../src/simulation/time.js';
import { runEngine } from '../helpers/engine.js';

const HOUR = 3_600_000;

describe('order arrivals', () => {
  const hours = new Array(24).fill(0);
  const weekdayOrders = new Array(7).fill(0);
  const weekdayDays = new Array(7).fill(0);
  const bursts: Array<{ date: string; startHour: number; counts: number[] }> = [];
  let plain = 0;
  let world: World;
  beforeAll(async () => {
    world = await runEngine({ scenario: 'normal-ops', multiplier: 4 }, (day, w) => {
    const wd = localWeekday(day.plan.startMs, w.offset);
    weekdayDays[wd]++;
    weekdayOrders[wd] += day.records.orders.length;
    const local = day.records.orders.map((o) => Math.floor((Date.parse(o.order_date) - day.plan.startMs) / HOUR));
    if (day.plan.burst) {
      const counts = new Array(24).fill(0);
      for (const h of local) counts[h]++;
      bursts.push({ date: day.plan.date, startHour: day.plan.burst.startHour, counts });
      expect(day.anomalies.some((a) => a.kind === 'order_burst' && a.id === day.plan.date)).toBe(true);
    } else if (!day.plan.spread && !w.dayAt(day.plan.startMs).hourOfDay) {
      // (Days with a curve of their own, like Ramadan's, are the calendar's: test/quality/realism.test.ts.)
      for (const h of local) hours[h]++;
      plain += local.length;
    }
    });
  });

  it('follow the market\'s hour-of-day curve (±0.5 pp per hour)', () => {
    const total = world.hourWeights.reduce((a, b) => a + b, 0);
    world.hourWeights.forEach((w, h) => expect(Math.abs(hours[h] / plain - w / total), `hour ${h}`).toBeLessThan(0.005));
  });

  it('follow the weekday curve: Egypt\'s Friday is a quarter of a normal day', () => {
    const perDay = weekdayOrders.map((n, i) => n / weekdayDays[i]);
    const mean = perDay.reduce((a, b) => a + b, 0) / 7;
    world.weekdayWeights.forEach((w, d) => expect(Math.abs(perDay[d] / mean - w) / w, `weekday ${d}`).toBeLessThan(0.1));
    expect(perDay[5] / perDay[0]).toBeLessThan(0.3);
  });

  it('burst: the burst window runs at several times the usual rate, and the day is labelled', () => {
    expect(bursts.length).toBeGreaterThan(2);
    const total = world.hourWeights.reduce((a, b) => a + b, 0);
    for (const b of bursts) {
      const window = [0, 1, 2].map((k) => b.startHour + k);
      const inWindow = window.reduce((s, h) => s + b.counts[h], 0);
      const outside = b.counts.reduce((s, c) => s + c, 0) - inWindow;
      const expectedShare = window.reduce((s, h) => s + world.hourWeights[h], 0) / total;
      const normalWindow = (outside / (1 - expectedShare)) * expectedShare;
      expect(inWindow / normalWindow, b.date).toBeGreaterThan(2.5);
    }
  });
});

describe('seasons and growth', () => {
  it('peak-season peaks in December (seasonal amplitude 0.3)', async () => {
    const byMonth = new Array(12).fill(0);
    await runEngine({ scenario: 'peak-season', multiplier: 1 }, (day) => {
      byMonth[Number(day.plan.date.slice(5, 7)) - 1] += day.records.orders.length;
    });
    expect(byMonth[11] / 31 / (byMonth[5] / 30)).toBeGreaterThan(1.5);
  });
});
