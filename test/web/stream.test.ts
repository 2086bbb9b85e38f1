/**
 * The web client's shared stream (web/src/lib/stream.ts), in Node with the few browser globals
 * it touches: a view that rendered `recent()` and subscribes a moment later (React runs effects
 * after the render, and an animation frame can fall between) receives what arrived meanwhile.
 */
import { afterAll, describe, expect, it, vi } from 'vitest';
import type { SequencedEnvelope } from '../../src/domain/events.js';

const session = new Map<string, string>();
// The browser's globals, for this file only: the files after it share the process.
const BROWSER_GLOBALS = ['window', 'location', 'sessionStorage', 'requestAnimationFrame'] as const;
afterAll(() => {
  vi.useRealTimers();
  for (const name of BROWSER_GLOBALS) delete (globalThis as Record<string, unknown>)[name];
});
Object.assign(globalThis, {
  window: { location: new URL('http://127.0.0.1:3001/events'), history: { state: null, replaceState: () => undefined }, addEventListener: () => undefined },
  location: new URL('http://127.0.0.1:3001/events'),
  sessionStorage: { getItem: (k: string) => session.get(k) ?? null, setItem: (k: string, v: string) => session.set(k, v) },
  requestAnimationFrame: (cb: () => void) => setTimeout(cb, 0),
});
const { stream } = await import('../../web/src/lib/stream.js');

/** A frame off the socket, as the server sends it. */
const receive = (seq: number) =>
  (stream as unknown as { onFrame(raw: string): void }).onFrame(
    JSON.stringify({ type: 'event', event_id: `e-${seq}`, event_type: 'order.created', timestamp: new Date(0).toISOString(), data: { order_id: `ORD-${seq}` }, seq }),
  );
vi.useFakeTimers();
const delivered = () => vi.advanceTimersByTimeAsync(300); // past the batch's animation frame and its fallback timer

describe('the web client stream', () => {
  it('hands a late subscriber what arrived after the recent events it rendered, once each', async () => {
    for (const seq of [1, 2, 3]) receive(seq);
    await delivered();
    const rendered = stream.recent(); // the view's first render
    for (const seq of [4, 5]) receive(seq);
    await delivered(); // a batch delivered before the view's effects ran
    const got: number[] = [];
    const unsubscribe = stream.subscribe((events: readonly SequencedEnvelope[]) => got.push(...events.map((e) => e.seq)), rendered.at(-1) ?? null);
    receive(6);
    await delivered();
    unsubscribe();
    expect([...rendered.map((e) => e.seq), ...got]).toEqual([1, 2, 3, 4, 5, 6]);
  });

  it('hands everything held to a subscriber that rendered nothing, and nothing twice to one that needs no catch-up', async () => {
    const all: number[] = [];
    const none: number[] = [];
    const a = stream.subscribe((events: readonly SequencedEnvelope[]) => all.push(...events.map((e) => e.seq)), null);
    const b = stream.subscribe((events: readonly SequencedEnvelope[]) => none.push(...events.map((e) => e.seq)));
    receive(7);
    await delivered();
    a();
    b();
    expect(all).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(none).toEqual([7]);
  });

  it('publishes the last event in a new status, never by changing the one the header rendered', async () => {
    // The header reads `status` through useSyncExternalStore: a change made in place is one React cannot see.
    const rendered = stream.status;
    const copy = structuredClone(rendered);
    receive(8);
    await delivered();
    expect(rendered).toEqual(copy);
    await vi.advanceTimersByTimeAsync(500); // the header's progress is published at most twice a second
    expect(stream.status).not.toBe(rendered);
    expect(stream.status).toMatchObject({ lastSeq: 8, received: copy.received + 1 });
    expect(stream.status.lastEventAt).not.toBeNull();
  });
});
