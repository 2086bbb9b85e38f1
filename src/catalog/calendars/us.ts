/**
 * The US retail calendar (data): a Monday–Friday working week, the federal holidays that
 * close businesses, and the shopping calendar of an electronics web shop — Presidents' Day
 * and Labor Day sales, summer deal days (Prime-style, mid-July), back to school, Black
 * Friday, its weekend and Cyber Monday, the December run-up and the quiet Christmas days.
 */
import type { MarketCalendar } from '../types.js';

const THANKSGIVING = { month: 11, weekday: 4, nth: 4 };

export const usCalendar: MarketCalendar = {
  weekend: [0, 6],
  dayOfWeek: {
    b2b: [0.15, 1.25, 1.3, 1.3, 1.25, 1.1, 0.2],
    // Shoppers: a little busier on Sunday and Monday evenings; Saturday the quietest.
    b2c: [1.1, 1.05, 0.95, 0.95, 0.95, 0.95, 0.9],
  },
  rules: [
    { name: "New Year's Day", on: { month: 1, day: 1 }, closed: true, b2b: 0.1, b2c: 0.7 },
    { name: 'Martin Luther King Jr. Day', on: { month: 1, weekday: 1, nth: 3 }, closed: true, b2b: 0.3 },
    { name: "Presidents' Day sales", on: { month: 2, weekday: 1, nth: 3 }, closed: true, b2b: 0.3, b2c: 1.3 },
    { name: 'Memorial Day sales', on: { month: 5, weekday: 1, nth: -1 }, closed: true, b2b: 0.2, b2c: 1.3 },
    { name: 'Juneteenth', on: { month: 6, day: 19 }, closed: true, b2b: 0.3 },
    { name: 'Independence Day', on: { month: 7, day: 4 }, closed: true, b2b: 0.1, b2c: 0.75 },
    { name: 'Summer deal days', on: { month: 7, weekday: 2, nth: 2 }, span: 2, b2c: 1.8 },
    { name: 'Back to school', on: { month: 8, day: 1 }, span: 24, b2c: 1.15 },
    { name: 'Labor Day sales', on: { month: 9, weekday: 1, nth: 1 }, closed: true, b2b: 0.2, b2c: 1.3 },
    { name: 'Thanksgiving', on: THANKSGIVING, closed: true, b2b: 0.1, b2c: 0.8 },
    { name: 'Black Friday', on: THANKSGIVING, offsetDays: 1, b2b: 0.6, b2c: 3.2 },
    { name: 'Black Friday weekend', on: THANKSGIVING, offsetDays: 2, span: 2, b2c: 1.7 },
    { name: 'Cyber Monday', on: THANKSGIVING, offsetDays: 4, b2c: 2.8 },
    { name: 'Cyber week', on: THANKSGIVING, offsetDays: 5, span: 4, b2c: 1.4 },
    { name: 'December run-up', on: { month: 12, day: 1 }, span: 21, b2c: 1.35 },
    { name: 'Christmas Eve', on: { month: 12, day: 24 }, b2b: 0.3, b2c: 0.6 },
    { name: 'Christmas Day', on: { month: 12, day: 25 }, closed: true, b2b: 0.05, b2c: 0.4 },
    { name: 'Gift-card week', on: { month: 12, day: 26 }, span: 6, b2b: 0.5, b2c: 1.2 },
  ],
};
