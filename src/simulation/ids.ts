/** Identifier formats; order numbers are declared in domain/ids.ts (the store allocates them too). */
import { scrambledNumber } from '../domain/ids.js';

export { ORDER_DIGITS, orderId, scrambledNumber } from '../domain/ids.js';
export const customerId = (index: number): string => `CUST-${scrambledNumber(index, index < 1_000_000 ? 6 : 8)}`;
export const padded = (prefix: string, n: number, digits: number): string => `${prefix}${String(n).padStart(digits, '0')}`;
