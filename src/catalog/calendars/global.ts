/**
 * The calendar of a global components supplier (data): a Monday–Friday working week, the
 * year-end shutdown, Lunar New Year (customers in Asia: 2023–2028), and quarter-end, when
 * manufacturers pull orders into the quarter to meet build plans and budgets.
 */
import type { MarketCalendar } from '../types.js';

const LUNAR_NEW_YEAR = ['2023-01-22', '2024-02-10', '2025-01-29', '2026-02-17', '2027-02-06', '2028-01-26'];

export const globalCalendar: MarketCalendar = {
  weekend: [0, 6],
  dayOfWeek: {
    b2b: [0.12, 1.2, 1.25, 1.25, 1.2, 1.1, 0.12],
    b2c: [0.5, 1.1, 1.1, 1.1, 1.1, 1.0, 0.5],
  },
  rules: [
    { name: "New Year's Day", on: { month: 1, day: 1 }, closed: true, b2b: 0.1, b2c: 0.3 },
    { name: 'Lunar New Year', on: { dates: LUNAR_NEW_YEAR }, span: 7, b2b: 0.7 },
    { name: 'Quarter-end', on: { quarterEnd: 5 }, b2b: 1.6, b2c: 1.2 },
    { name: 'Christmas', on: { month: 12, day: 25 }, span: 2, closed: true, b2b: 0.1, b2c: 0.3 },
    { name: 'Year-end shutdown', on: { month: 12, day: 27 }, span: 5, b2b: 0.45, b2c: 0.6 },
  ],
};
