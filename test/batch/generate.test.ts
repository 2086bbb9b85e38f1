/** How many threads a run takes when none was asked for. */
import { describe, expect, it } from 'vitest';
import { fittedWorkers, RECORDS_PER_THREAD } from '../../src/batch/generate.js';

describe('fittedWorkers', () => {
  it('one thread until a run has work enough for two, then one more per RECORDS_PER_THREAD, up to what is allowed', () => {
    expect(fittedWorkers(0, 8)).toBe(1);
    expect(fittedWorkers(2 * RECORDS_PER_THREAD - 1, 8)).toBe(1);
    expect(fittedWorkers(2 * RECORDS_PER_THREAD, 8)).toBe(2);
    expect(fittedWorkers(5.5 * RECORDS_PER_THREAD, 8)).toBe(5);
    expect(fittedWorkers(100 * RECORDS_PER_THREAD, 8)).toBe(8);
    expect(fittedWorkers(100 * RECORDS_PER_THREAD, 1)).toBe(1);
  });
});
