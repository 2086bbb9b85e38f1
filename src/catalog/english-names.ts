/**
 * English person and street names for the US and global markets, from faker's English
 * definitions (thousands of names we need not author). Deduplicated and sorted so the
 * pools, and therefore the generated data, do not depend on faker's list order.
 */
import { faker } from '@faker-js/faker/locale/en';
import type { FirstName, Term } from './types.js';

const en = faker.rawDefinitions;
const sortedUnique = (names: readonly string[]) => [...new Set(names)].sort();

const female = sortedUnique(en.person?.first_name?.female ?? []);
const male = sortedUnique(en.person?.first_name?.male ?? []);

export const englishFirstNames: FirstName[] = [
  ...female.map((name): FirstName => ({ en: name, gender: 'f' })),
  ...male.map((name): FirstName => ({ en: name, gender: 'm' })),
].sort((a, b) => (a.en === b.en ? a.gender.localeCompare(b.gender) : a.en < b.en ? -1 : 1));

export const englishLastNames: Term[] = sortedUnique(en.person?.last_name?.generic ?? []).map((name) => ({ en: name }));

/** Streets named after surnames ("Miller Avenue"), like faker's own street pattern. */
export const englishStreets: Term[] = englishLastNames;
export const englishStreetSuffixes = ['Avenue', 'Boulevard', 'Court', 'Drive', 'Lane', 'Parkway', 'Place', 'Road', 'Street', 'Way'];
