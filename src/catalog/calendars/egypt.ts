/**
 * Egypt's calendar (data): a Sunday–Thursday working week (Friday and Saturday off), the
 * official public holidays, and the Islamic year's moving dates (Ramadan, the two Eids,
 * the Hijri new year, the Prophet's birthday) for 2023–2028 as announced or as expected
 * from the astronomical calendar (a day's error is possible for future years).
 *
 * Ramadan moves the day: offices work roughly 10:00–15:00, nothing happens around
 * iftar (about 18:00), and cafés and shops are busiest late in the evening up to suhoor.
 * Businesses stock up in the week before Ramadan and before each Eid; the Eids close them.
 */
import type { MarketCalendar } from '../types.js';

const RAMADAN: Array<[string, string]> = [
  ['2023-03-23', '2023-04-20'],
  ['2024-03-11', '2024-04-09'],
  ['2025-03-01', '2025-03-29'],
  ['2026-02-18', '2026-03-19'],
  ['2027-02-08', '2027-03-09'],
  ['2028-01-28', '2028-02-25'],
];
const EID_AL_FITR = ['2023-04-21', '2024-04-10', '2025-03-30', '2026-03-20', '2027-03-10', '2028-02-26'];
/** Arafat day; Eid al-Adha is the day after. */
const ARAFAT = ['2023-06-27', '2024-06-15', '2025-06-05', '2026-05-26', '2027-05-15', '2028-05-04'];
const HIJRI_NEW_YEAR = ['2023-07-19', '2024-07-07', '2025-06-26', '2026-06-16', '2027-06-06', '2028-05-25'];
const MAWLID = ['2023-09-27', '2024-09-15', '2025-09-04', '2026-08-25', '2027-08-14', '2028-08-03'];
/** The Monday after Coptic Easter. */
const SHAM_EL_NESSIM = ['2023-04-17', '2024-05-06', '2025-04-21', '2026-04-13', '2027-05-03', '2028-04-17'];

/** Local hours during Ramadan: short office mornings, a gap at iftar, a late-evening peak. */
const RAMADAN_HOURS = [1.4, 1.1, 0.6, 0.25, 0.05, 0.02, 0.02, 0.05, 0.2, 0.7, 1.4, 1.6, 1.6, 1.4, 1.1, 0.7, 0.4, 0.2, 0.05, 0.3, 1.3, 2.1, 2.4, 2.0];

export const egyptCalendar: MarketCalendar = {
  weekend: [5, 6],
  dayOfWeek: {
    // Offices and cafés order Sunday–Thursday; a few on Saturday morning, almost none on Friday.
    b2b: [1.25, 1.2, 1.2, 1.2, 1.1, 0.03, 0.3],
    // Households shop all week, a little less at Friday prayer time, more on Thursday evening.
    b2c: [1.0, 1.0, 1.0, 1.0, 1.15, 0.7, 1.05],
  },
  rules: [
    { name: 'Coptic Christmas', on: { month: 1, day: 7 }, closed: true, b2b: 0.15, b2c: 0.8 },
    { name: 'Revolution Day (25 January) and Police Day', on: { month: 1, day: 25 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Sinai Liberation Day', on: { month: 4, day: 25 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Labour Day', on: { month: 5, day: 1 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: '30 June Revolution', on: { month: 6, day: 30 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Revolution Day (23 July)', on: { month: 7, day: 23 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Armed Forces Day', on: { month: 10, day: 6 }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Sham El-Nessim', on: { dates: SHAM_EL_NESSIM }, closed: true, b2b: 0.1, b2c: 0.6 },
    { name: 'Islamic New Year', on: { dates: HIJRI_NEW_YEAR }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: "Prophet's Birthday", on: { dates: MAWLID }, closed: true, b2b: 0.15, b2c: 0.9 },
    { name: 'Pre-Ramadan stock-up', on: { ranges: RAMADAN.map(([from]) => [from, from]) }, offsetDays: -7, span: 7, b2b: 1.5, b2c: 1.4 },
    { name: 'Ramadan', on: { ranges: RAMADAN }, b2b: 0.9, b2c: 1.1, hourOfDay: RAMADAN_HOURS },
    { name: 'Eid al-Fitr shopping', on: { dates: EID_AL_FITR }, offsetDays: -4, span: 4, b2b: 1.5, b2c: 1.9 },
    { name: 'Eid al-Fitr', on: { dates: EID_AL_FITR }, span: 3, closed: true, b2b: 0.1, b2c: 0.5 },
    { name: 'Eid al-Adha shopping', on: { dates: ARAFAT }, offsetDays: -4, span: 4, b2b: 1.5, b2c: 1.7 },
    { name: 'Arafat Day and Eid al-Adha', on: { dates: ARAFAT }, span: 4, closed: true, b2b: 0.1, b2c: 0.5 },
    { name: 'White Friday', on: { month: 11, weekday: 5, nth: -1 }, b2c: 2.2 },
  ],
};
