/**
 * Egypt's name pools from data/egypt-names.ts. No public frequency table of Egyptian names
 * exists; the lists are ordered from most to least common (by common usage) and weighted by
 * a Zipf law on that rank, which gives Mohamed and Ahmed the outsized share they have.
 * Last names are family names and, as on Egyptian records, fathers' given names.
 */
import type { FirstName, LastName } from '../types.js';
import { EGYPT_FAMILY, EGYPT_FEMALE, EGYPT_MALE } from './egypt-names.js';

function entries(text: string): Array<{ en: string; ar: string }> {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [en, ar] = l.split('|');
      return { en: en.trim(), ar: ar.trim() };
    });
}

const zipf = (rank: number, s: number) => 1 / Math.pow(rank + 1, s);

/** "Abdelaziz" as a given name is "Abdel Aziz" as a family name. */
const asFamilyName = (en: string) => en.replace(/^Abdel([a-z])/, (_, c: string) => `Abdel ${c.toUpperCase()}`);

const male = entries(EGYPT_MALE);
const female = entries(EGYPT_FEMALE);

export const egyptFirstNames: FirstName[] = [
  ...male.map((n, i): FirstName => ({ ...n, gender: 'm', weight: zipf(i, 0.9) })),
  ...female.map((n, i): FirstName => ({ ...n, gender: 'f', weight: zipf(i, 0.8) })),
];

const family = new Map<string, LastName>();
// Fathers' names are the commoner last names: they come first, weighted like given names.
male.forEach((n, i) => {
  const en = asFamilyName(n.en);
  if (!family.has(en)) family.set(en, { en, ar: n.ar, weight: zipf(i, 0.9) });
});
entries(EGYPT_FAMILY).forEach((n, i) => {
  const en = asFamilyName(n.en);
  if (!family.has(en)) family.set(en, { en, ar: n.ar, weight: 0.6 * zipf(i, 0.5) });
});
export const egyptLastNames: LastName[] = [...family.values()];
