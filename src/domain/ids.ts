/**
 * Order numbers. They look random (like spec 004's ORD-93239605) but are a bijection of a
 * global index, so they are unique without any coordination: an affine map
 * x → (a·x + c) mod 10^digits with a coprime to 10.
 *
 * Who uses which indices, so no two writers can ever produce the same order id:
 *   [0, N)                  a generation job's N orders (batch days number on from 0)
 *   [N, API_ORDER_INDEX)    the live simulation, continuing after the dataset it runs on
 *   [API_ORDER_INDEX, 10^8) orders created through the API (a database sequence)
 */
const MULTIPLIER = 48271; // prime, coprime to 10
const OFFSET = 93_239_605; // so the first order is spec 004's ORD-93239605

export function scrambledNumber(index: number, digits: number): string {
  const space = 10 ** digits;
  if (index >= space) throw new RangeError(`index ${index} does not fit in ${digits} digits`);
  // a·x can exceed 2^53 for large spaces; split x to keep every product exact.
  const hi = Math.floor(index / 65536);
  const lo = index % 65536;
  const value = (((MULTIPLIER * hi) % space) * 65536 + MULTIPLIER * lo + OFFSET) % space;
  return String(value).padStart(digits, '0');
}

/** (a · b) mod m without losing precision above 2^53. */
function mulMod(a: number, b: number, m: number): number {
  const hi = Math.floor(b / 65536);
  const lo = b % 65536;
  return (((a * hi) % m) * 65536 + a * lo) % m;
}

/** The index an order number was made from (the inverse of scrambledNumber), or -1 if it is not one. */
export function indexOfScrambled(value: string, digits: number): number {
  if (!/^\d+$/.test(value) || value.length !== digits) return -1;
  const space = 10 ** digits;
  let inverse = INVERSES.get(digits);
  if (inverse === undefined) INVERSES.set(digits, (inverse = modularInverse(MULTIPLIER, space)));
  return mulMod(inverse, (((Number(value) - OFFSET) % space) + space) % space, space);
}

const INVERSES = new Map<number, number>();

function modularInverse(a: number, m: number): number {
  let [r0, r1] = [m, a % m];
  let [t0, t1] = [0, 1];
  while (r1 !== 0) {
    const q = Math.floor(r0 / r1);
    [r0, r1] = [r1, r0 - q * r1];
    [t0, t1] = [t1, t0 - q * t1];
  }
  return ((t0 % m) + m) % m;
}

export const ORDER_DIGITS = 8;
export const orderIndexOf = (id: string): number => (id.startsWith('ORD-') ? indexOfScrambled(id.slice(4), ORDER_DIGITS) : -1);
export const orderId = (globalIndex: number): string => `ORD-${scrambledNumber(globalIndex, ORDER_DIGITS)}`;
export const API_ORDER_INDEX = 90_000_000;
