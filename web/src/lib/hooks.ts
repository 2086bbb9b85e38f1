import { useCallback, useEffect, useRef, useState, useSyncExternalStore } from 'react';
import type { SequencedEnvelope } from '../../../src/domain/events.js';
import { api } from './api.js';
import { stream, type StreamStatus } from './stream.js';

export function useStreamStatus(): StreamStatus {
  return useSyncExternalStore(
    (cb) => stream.onStatus(cb),
    () => stream.status,
  );
}

/**
 * Calls `handler` with each frame's batch of events; the latest handler is always used. A view
 * that rendered `stream.recent()` passes the last of those events (or null) as `after`: the
 * events that arrived between its render and this subscription come first.
 */
export function useEvents(handler: (events: readonly SequencedEnvelope[]) => void, after?: SequencedEnvelope | null): void {
  const ref = useRef(handler);
  ref.current = handler;
  const from = useRef(after); // the value at mount: later renders do not re-subscribe
  useEffect(() => {
    const off = stream.subscribe((events) => ref.current(events), from.current);
    // Caught up once: a second mount (React's StrictMode runs effects twice) must not hand the same events again.
    from.current = undefined;
    return off;
  }, []);
}

export interface Loaded<T> {
  data: T | null;
  error: Error | null;
  loading: boolean;
  reload: () => void;
}

/** GET `path` now and whenever `reload` is called; keeps the last data while reloading. */
export function useApi<T>(path: string | null): Loaded<T> {
  const [state, setState] = useState<{ data: T | null; error: Error | null; loading: boolean }>({ data: null, error: null, loading: path !== null });
  const [tick, setTick] = useState(0);
  useEffect(() => {
    if (path === null) return;
    const ctl = new AbortController();
    setState((s) => ({ ...s, loading: true }));
    api<T>(path, { signal: ctl.signal }).then(
      (data) => setState({ data, error: null, loading: false }),
      (error: Error) => {
        if (error.name !== 'AbortError') setState((s) => ({ data: s.data, error, loading: false }));
      },
    );
    return () => ctl.abort();
  }, [path, tick]);
  const reload = useCallback(() => setTick((t) => t + 1), []);
  return { ...state, reload };
}

/** `fn` at most once per `ms`, the last call always honoured (trailing edge). */
export function useThrottled(fn: () => void, ms: number): () => void {
  const ref = useRef(fn);
  ref.current = fn;
  const timer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const last = useRef(0);
  useEffect(() => () => void (timer.current && clearTimeout(timer.current)), []);
  return useCallback(() => {
    if (timer.current) return;
    const wait = Math.max(0, last.current + ms - Date.now());
    timer.current = setTimeout(() => {
      timer.current = null;
      last.current = Date.now();
      ref.current();
    }, wait);
  }, [ms]);
}

/** Re-renders every `ms`. */
export function useNow(ms: number): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), ms);
    return () => clearInterval(t);
  }, [ms]);
  return now;
}

/**
 * Re-render at most every `ms`: views that keep a large live list in a ref call the
 * returned function for each batch; React renders the list a few times a second, not
 * once per event or frame, however fast events come. A call asking for a longer interval
 * than the pending one postpones the render to it: a view that learns mid-wait that a
 * flood is on (more changes than it is worth rendering five times a second) is not held
 * to the shorter wait the first, quiet batch asked for.
 */
export function useRenderEvery(ms: number): [number, (everyMs?: number) => void] {
  const [version, setVersion] = useState(0);
  const pending = useRef<{ timer: ReturnType<typeof setTimeout>; every: number } | null>(null);
  const last = useRef(0);
  useEffect(() => () => void (pending.current && clearTimeout(pending.current.timer)), []);
  const bump = useCallback((everyMs = ms) => {
    if (pending.current) {
      if (everyMs <= pending.current.every) return;
      clearTimeout(pending.current.timer);
    }
    const wait = Math.max(0, last.current + everyMs - Date.now());
    const timer = setTimeout(() => {
      pending.current = null;
      last.current = Date.now();
      setVersion((v) => v + 1);
    }, wait);
    pending.current = { timer, every: everyMs };
  }, [ms]);
  return [version, bump];
}
