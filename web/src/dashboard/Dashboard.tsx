/**
 * spec 001's real-time dashboard: order trends and events per second per channel (fixed
 * five-minute windows), and the system's health: clients, change-feed latency (database
 * commit → this browser), cache hit ratio, database latency, circuit breaker, Kafka and
 * Redis, memory.
 */
import { useEffect, useRef, useState } from 'react';
import type { ApiHealth, Metrics } from '../../../src/domain/api.js';
import type { Runtime } from '../../../src/domain/web-api.js';
import { EVENT_CHANNELS } from '../../../src/domain/events.js';
import { Card, ErrorState } from '../components/States.js';
import { TimeChart } from '../components/TimeChart.js';
import { count, percent } from '../lib/format.js';
import { useApi, useEvents } from '../lib/hooks.js';

const WINDOW_S = 300;
const CHANNELS = ['orders', 'stock', 'alerts', 'payments', 'db'] as const;
const COLORS = ['#2563eb', '#059669', '#dc2626', '#7c3aed', '#d97706'];
const DASHES = [undefined, [6, 3], [2, 2], [8, 2, 2, 2], [1, 3]];

export default function Dashboard() {
  const metrics = useApi<Metrics>('/api/metrics');
  const health = useApi<ApiHealth>('/api/health');
  const runtime = useApi<Runtime>('/api/runtime');
  const perSecond = useRef(new Map<number, Record<string, number>>());
  const latencies = useRef<number[]>([]);
  const [series, setSeries] = useState<{ x: number[]; channels: number[][]; created: number[]; moved: number[] }>({ x: [], channels: CHANNELS.map(() => []), created: [], moved: [] });
  const [feedLatency, setFeedLatency] = useState<{ p50: number; max: number; n: number } | null>(null);

  useEffect(() => {
    const t = setInterval(() => {
      metrics.reload();
      health.reload();
      runtime.reload();
    }, 2000);
    return () => clearInterval(t);
  }, [metrics.reload, health.reload, runtime.reload]);

  useEvents((events) => {
    const now = Math.floor(Date.now() / 1000);
    const bucket = perSecond.current.get(now) ?? {};
    for (const e of events) {
      const ch = EVENT_CHANNELS[e.event_type];
      bucket[ch] = (bucket[ch] ?? 0) + 1;
      if (e.event_type === 'order.created') bucket.created = (bucket.created ?? 0) + 1;
      else if (e.event_type.startsWith('order.')) bucket.moved = (bucket.moved ?? 0) + 1;
      if (e.event_type.startsWith('db.')) {
        const committed = Date.parse((e.data as { changed_at: string }).changed_at);
        if (Number.isFinite(committed)) latencies.current.push(Date.now() - committed);
      }
    }
    perSecond.current.set(now, bucket);
    if (latencies.current.length > 500) latencies.current.splice(0, latencies.current.length - 500);
  });

  useEffect(() => {
    const t = setInterval(() => {
      const now = Math.floor(Date.now() / 1000) - 1;
      const x: number[] = [];
      const channels: number[][] = CHANNELS.map(() => []);
      const created: number[] = [];
      const moved: number[] = [];
      for (let s = now - WINDOW_S + 1; s <= now; s++) {
        const b = perSecond.current.get(s) ?? {};
        x.push(s);
        CHANNELS.forEach((c, i) => channels[i].push(b[c] ?? 0));
        created.push(b.created ?? 0);
        moved.push(b.moved ?? 0);
      }
      for (const k of perSecond.current.keys()) if (k < now - WINDOW_S) perSecond.current.delete(k);
      setSeries({ x, channels, created, moved });
      const l = [...latencies.current].sort((a, b) => a - b);
      setFeedLatency(l.length ? { p50: l[Math.floor(l.length / 2)], max: l[l.length - 1], n: l.length } : null);
    }, 1000);
    return () => clearInterval(t);
  }, []);

  const m = metrics.data;
  const h = health.data;
  const heap = (performance as Performance & { memory?: { usedJSHeapSize: number } }).memory?.usedJSHeapSize;
  return (
    <>
      <h1>Dashboard</h1>
      {metrics.error ? <ErrorState error={metrics.error} retry={metrics.reload} what="metrics" /> : null}
      <div className="cards">
        <Card title="Events per second (server)" value={m ? count(Math.round(m.events.per_second)) : '…'} sub={m ? `${count(m.events.total)} in all` : undefined} />
        <Card title="Connected clients" value={m ? count(m.clients.total) : '…'} sub={m ? `${m.clients.websocket} WebSocket · ${m.clients.sse} SSE` : undefined} testid="clients" />
        <Card
          title="Change-feed latency (commit → browser)"
          value={feedLatency ? `${feedLatency.p50} ms` : '—'}
          sub={feedLatency ? `median of the last ${feedLatency.n} row changes; max ${feedLatency.max} ms` : 'no row changes seen yet'}
        />
        <Card title="Product cache hit ratio" value={m ? percent(m.cache.hit_ratio, 1) : '…'} sub={m ? `${count(m.cache.hits)} hits · ${count(m.cache.misses)} misses` : undefined} />
        <Card title="Database latency p50 / p99" value={m && m.database.latency_ms.p50 !== null ? `${m.database.latency_ms.p50.toFixed(1)} / ${m.database.latency_ms.p99?.toFixed(1)} ms` : '—'} sub={m?.database.backend ?? 'no database'} />
        <Card title="Circuit breaker" value={m ? m.database.breaker.state.replace('_', '-') : '…'} sub={m ? `${m.database.breaker.failures} failures · ${m.database.breaker.rejected} rejected` : undefined} />
        <Card
          title="Server memory (resident)"
          value={runtime.data ? `${(runtime.data.memory.rss_bytes / 1048576).toFixed(0)} MiB` : '—'}
          sub={runtime.data ? `heap ${(runtime.data.memory.heap_used_bytes / 1048576).toFixed(0)} MiB · this page ${heap ? `${(heap / 1048576).toFixed(0)} MiB` : '—'} · up ${Math.round(runtime.data.uptime_seconds / 60)} min` : undefined}
          testid="server-memory"
        />
      </div>
      <section className="panel" aria-labelledby="h-health" style={{ marginBottom: 12 }}>
        <h2 id="h-health">Health</h2>
        {h ? (
          <ul className="legend inline" data-testid="health">
            <li>
              overall <strong>{h.status}</strong>
            </li>
            <li>
              database <strong>{h.database.status}</strong> {h.database.backend ? `(${h.database.backend}${h.database.latency_ms !== null ? `, ${h.database.latency_ms} ms` : ''})` : ''}
            </li>
            <li>
              Kafka <strong>{h.brokers.kafka.status}</strong>
            </li>
            <li>
              Redis <strong>{h.brokers.redis.status}</strong>
            </li>
          </ul>
        ) : health.error ? (
          <ErrorState error={health.error} retry={health.reload} what="health" />
        ) : (
          <p className="muted">…</p>
        )}
      </section>
      <div className="grid">
        <section className="panel" aria-labelledby="h-trend">
          <h2 id="h-trend">Order trends (per second, last 5 minutes)</h2>
          <TimeChart
            label="New orders and order status changes per second"
            x={series.x}
            ys={[series.created, series.moved]}
            series={[
              { label: 'new orders', color: '#2563eb' },
              { label: 'status changes', color: '#d97706', dash: [6, 3] },
            ]}
          />
        </section>
        <section className="panel" aria-labelledby="h-channels">
          <h2 id="h-channels">Events per second by channel</h2>
          <TimeChart label="Events per second for each channel" x={series.x} ys={series.channels} series={CHANNELS.map((c, i) => ({ label: c, color: COLORS[i], dash: DASHES[i] }))} />
        </section>
      </div>
    </>
  );
}
