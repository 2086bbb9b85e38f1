import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/random/rng.js';
import { EventMerger } from '../../src/sinks/event-merge.js';

const DAY = 1000;

/** Day d's events all fall in [d·DAY, d·DAY + span): like orders whose timelines run on for weeks. */
function makeDay(d: number, rng: Rng, span: number, most = 40) {
  const times = Array.from({ length: rng.int(0, most) }, () => d * DAY + rng.int(0, span)).sort((a, b) => a - b);
  const lines = times.map((t, i) => `${t} d${d} #${i}\n`);
  const offsets = [0];
  for (const l of lines) offsets.push(offsets[offsets.length - 1] + l.length);
  return { times, lines, offsets, bytes: Buffer.from(lines.join('')) };
}

describe('EventMerger', () => {
  it('merges day runs into one time-ordered log, ties going to the earlier day, nothing lost', () => {
    const rng = Rng.derive(9, 'merge');
    const merger = new EventMerger();
    const expected: Array<{ t: number; d: number; line: string }> = [];
    let out = '';
    for (let d = 0; d < 60; d++) {
      // Some days are large enough that their runs get compacted while being drained.
      const day = makeDay(d, rng, 25 * DAY, d % 7 === 0 ? 5000 : 40);
      day.lines.forEach((line, i) => expected.push({ t: day.times[i], d, line }));
      merger.add(d, day.times, day.offsets, day.bytes);
      const ready = merger.drain((d + 1) * DAY);
      out += Buffer.from(ready.bytes).toString();
    }
    out += Buffer.from(merger.drain(Infinity).bytes).toString();
    expected.sort((a, b) => a.t - b.t || a.d - b.d);
    expect(out).toBe(expected.map((e) => e.line).join(''));
  });

  it('only releases events before the watermark', () => {
    const merger = new EventMerger();
    const day = makeDay(0, Rng.derive(1, 'w'), 5 * DAY);
    merger.add(0, day.times, day.offsets, day.bytes);
    const early = merger.drain(2 * DAY);
    expect(early.count).toBe(day.times.filter((t) => t < 2 * DAY).length);
    expect(early.count + merger.drain(Infinity).count).toBe(day.times.length);
  });
});
