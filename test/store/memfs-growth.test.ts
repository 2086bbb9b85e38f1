/**
 * In-memory embedded databases' files grow in place (src/store/memfs-growth.ts): once in a
 * resizable buffer, a file that grows is never copied, and its bytes stay as written.
 */
import { describe, expect, it } from 'vitest';
import { growInPlace, installGrowInPlace, type MemfsNode } from '../../src/store/memfs-growth.js';

const filled = (n: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7) % 251);
/**
 * The first `bytes.length` bytes of `array` are `bytes`, compared as memory (Buffer.compare):
 * toEqual walks a typed array element by element, about a second per 300,000 bytes.
 */
const expectStarts = (array: Uint8Array, bytes: Uint8Array) => {
  expect(array.length).toBeGreaterThanOrEqual(bytes.length);
  expect(Buffer.compare(array.subarray(0, bytes.length), bytes), 'bytes kept').toBe(0);
};

describe('growInPlace', () => {
  it('moves a file into a resizable buffer once, then grows it without copying, its bytes kept', () => {
    const written = filled(300_000);
    const node: MemfsNode = { contents: written.slice(), usedBytes: written.length };
    growInPlace(node, 400_000);
    const moved = node.contents!;
    expect(moved).not.toBe(written);
    expect(moved.length).toBeGreaterThanOrEqual(400_000);
    expectStarts(moved, written);

    // Growing again: the same array and buffer, longer (nothing allocated, nothing copied).
    for (const needed of [2_000_000, 50_000_000, 200_000_000]) {
      growInPlace(node, needed);
      expect(node.contents).toBe(moved);
      expect(moved.length).toBeGreaterThanOrEqual(needed);
    }
    expectStarts(moved, written);
    expect(moved[150_000_000]).toBe(0); // new bytes read as zeros, as a file's holes do
  });

  it('leaves a file alone while it fits, and starts an empty one', () => {
    const node: MemfsNode = { contents: new Uint8Array(1000), usedBytes: 10 };
    const before = node.contents;
    growInPlace(node, 1000);
    expect(node.contents).toBe(before);
    const empty: MemfsNode = { contents: null, usedBytes: 0 };
    growInPlace(empty, 10);
    expect(empty.contents!.length).toBeGreaterThanOrEqual(10);
  });

  it('lengthens a view of a resizable buffer made with a fixed length, still without copying its bytes', () => {
    const buffer = new (ArrayBuffer as unknown as new (n: number, o: { maxByteLength: number }) => ArrayBuffer)(1000, { maxByteLength: 1 << 20 });
    const fixed = new Uint8Array(buffer, 0, 1000);
    fixed.set(filled(1000));
    const node: MemfsNode = { contents: fixed, usedBytes: 1000 };
    growInPlace(node, 5000);
    expect(node.contents!.buffer).toBe(buffer);
    expect(node.contents!.length).toBeGreaterThanOrEqual(5000);
    expect(node.contents!.subarray(0, 1000)).toEqual(filled(1000));
  });

  it('is installed only where the database exposes its file system as expected', () => {
    expect(installGrowInPlace({})).toBe(false);
    const memfs = { expandFileStorage: () => undefined };
    expect(installGrowInPlace({ mod: { FS: { root: { mount: { type: memfs } } } } })).toBe(true);
    expect(memfs.expandFileStorage).toBe(growInPlace);
  });
});
