/**
 * English person and street names for the US and global markets, from faker's English
 * definitions (thousands of names we need not author), weighted by US frequency where a
 * count is known (data/us-names.ts). Deduplicated and sorted so the pools, and therefore
 * the generated data, do not depend on faker's list order.
 */
import { faker } from '@faker-js/faker/locale/en';
import { US_DEFAULT_GIVEN, US_DEFAULT_SURNAME, US_GIVEN_COUNTS_FEMALE, US_GIVEN_COUNTS_MALE, US_SURNAME_COUNTS } from './data/us-names.js';
import type { FirstName, LastName, Term } from './types.js';

const en = faker.rawDefinitions;
const sortedUnique = (names: readonly string[]) => [...new Set(names)].sort();

function counts(text: string): Map<string, number> {
  const out = new Map<string, number>();
  for (const entry of text.split(/[|\n]/)) {
    const m = /^\s*(.+?)\s+(\d+)\s*$/.exec(entry);
    if (m) out.set(m[1], Number(m[2]));
  }
  return out;
}

const femaleCounts = counts(US_GIVEN_COUNTS_FEMALE);
const maleCounts = counts(US_GIVEN_COUNTS_MALE);
const surnameCounts = counts(US_SURNAME_COUNTS);

const female = sortedUnique([...(en.person?.first_name?.female ?? []), ...femaleCounts.keys()]);
const male = sortedUnique([...(en.person?.first_name?.male ?? []), ...maleCounts.keys()]);

export const englishFirstNames: FirstName[] = [
  ...female.map((name): FirstName => ({ en: name, gender: 'f', weight: femaleCounts.get(name) ?? US_DEFAULT_GIVEN })),
  ...male.map((name): FirstName => ({ en: name, gender: 'm', weight: maleCounts.get(name) ?? US_DEFAULT_GIVEN })),
].sort((a, b) => (a.en === b.en ? a.gender.localeCompare(b.gender) : a.en < b.en ? -1 : 1));

const surnames = sortedUnique([...(en.person?.last_name?.generic ?? []), ...surnameCounts.keys()]);
export const englishLastNames: LastName[] = surnames.map((name) => ({ en: name, weight: surnameCounts.get(name) ?? US_DEFAULT_SURNAME }));

/** Streets named after surnames ("Miller Avenue"), like faker's own street pattern. */
export const englishStreets: Term[] = surnames.map((name) => ({ en: name }));
export const englishStreetSuffixes = ['Avenue', 'Boulevard', 'Court', 'Drive', 'Lane', 'Parkway', 'Place', 'Road', 'Street', 'Way'];
