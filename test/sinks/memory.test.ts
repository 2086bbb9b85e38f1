/** A run kept in memory (src/sinks/memory.ts): handed on whole and in order, then let go; an abort stops the hand-over. */
import { describe, expect, it } from 'vitest';
import type { DatasetSink, FileKey } from '../../src/domain/dataset.js';
import { CapturingSink } from '../../src/sinks/memory.js';

function recordingSink(): DatasetSink & { got: Array<[FileKey, string, number]>; committed: number } {
  const sink = {
    target: 'test',
    got: [] as Array<[FileKey, string, number]>,
    committed: 0,
    write: async (key: FileKey, bytes: Uint8Array, records: number) => void sink.got.push([key, Buffer.from(bytes).toString(), records]),
    writeLines: async () => undefined,
    commit: async () => (sink.committed++, []),
    abort: async () => undefined,
  };
  return sink;
}

describe('CapturingSink', () => {
  it('replays what it took in the order it came and commits once; the replayed rows are no longer held', async () => {
    const capture = new CapturingSink();
    await capture.write('customers', Buffer.from('c1\nc2'), 2);
    await capture.write('orders', Buffer.from('o1'), 1);
    await capture.writeLines();
    await capture.write('customers', Buffer.from('c3'), 1);
    const into = recordingSink();
    await capture.replay(into);
    expect(into.got).toEqual([
      ['customers', 'c1\nc2', 2],
      ['orders', 'o1', 1],
      ['customers', 'c3', 1],
    ]);
    expect(into.committed).toBe(1);
    expect(capture.segments).toEqual([]);
  });

  it('stops at the first segment after an abort, with the abort\'s reason, and commits nothing', async () => {
    const capture = new CapturingSink();
    for (let i = 0; i < 5; i++) await capture.write('orders', Buffer.from(`o${i}`), 1);
    const stop = new AbortController();
    const into = recordingSink();
    const write = into.write;
    into.write = async (key, bytes, records) => {
      await write(key, bytes, records);
      if (into.got.length === 2) stop.abort(new Error('the server is stopping'));
    };
    await expect(capture.replay(into, stop.signal)).rejects.toThrow('the server is stopping');
    expect(into.got).toHaveLength(2);
    expect(into.committed).toBe(0);
  });
});
