import { describe, expect, it } from 'vitest';
import { customerId, orderId, scrambledNumber } from '../../src/simulation/ids.js';

describe('identifiers', () => {
  it('scrambles indices bijectively: every 4-digit number exactly once', () => {
    const seen = new Set(Array.from({ length: 10_000 }, (_, i) => scrambledNumber(i, 4)));
    expect(seen.size).toBe(10_000);
  });

  it('formats spec 004 ids', () => {
    expect(orderId(0)).toBe('ORD-93239605');
    expect(orderId(123_456)).toMatch(/^ORD-\d{8}$/);
    expect(customerId(42)).toMatch(/^CUST-\d{6}$/);
    expect(new Set(Array.from({ length: 100_000 }, (_, i) => orderId(i))).size).toBe(100_000);
  });

  it('refuses an index that does not fit', () => {
    expect(() => scrambledNumber(10_000, 4)).toThrow(RangeError);
  });
});
