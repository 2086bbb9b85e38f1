/** spec 001's demo controls (one random order, stock change or status move) and the live simulation's settings. */
import { useEffect, useState } from 'react';
import { PATTERN_NAMES } from '../../../src/domain/entities.js';
import type { LiveSettings } from '../../../src/domain/live.js';
import { ErrorState, Skeleton } from '../components/States.js';
import { api } from '../lib/api.js';
import { dateTime, label, percent } from '../lib/format.js';
import { useApi } from '../lib/hooks.js';

type SimView = LiveSettings & { simulatedTime: string; ordersPerMinute: number; scenario: string; market: string };

export function Controls() {
  return (
    <div className="grid">
      <Demo />
      <Simulation />
    </div>
  );
}

function Demo() {
  const [log, setLog] = useState<Array<{ ok: boolean; text: string }>>([]);
  const run = async (action: 'new-order' | 'update-stock' | 'status-update') => {
    try {
      const r = await api<any>(`/api/simulate/${action}`, { method: 'POST' });
      const text =
        action === 'new-order'
          ? `new order ${r.order.order_id} for ${r.order.customer_email}`
          : action === 'update-stock'
            ? `${r.product.name}: ${r.previous_quantity} → ${r.product.stock_quantity}`
            : `${r.order.order_id}: ${r.previous_status} → ${r.order.status}`;
      setLog((l) => [{ ok: true, text }, ...l].slice(0, 8));
    } catch (e) {
      setLog((l) => [{ ok: false, text: (e as Error).message }, ...l].slice(0, 8));
    }
  };
  return (
    <section className="panel" aria-labelledby="h-demo">
      <h2 id="h-demo">Demo controls</h2>
      <div className="row">
        <button type="button" className="primary" onClick={() => void run('new-order')} data-testid="demo-new-order">
          Simulate new order
        </button>
        <button type="button" onClick={() => void run('update-stock')} data-testid="demo-update-stock">
          Update stock
        </button>
        <button type="button" onClick={() => void run('status-update')} data-testid="demo-status-update">
          Update status
        </button>
      </div>
      <ul className="alerts" aria-live="polite" data-testid="demo-log">
        {log.map((l, i) => (
          <li key={i} className={l.ok ? undefined : 'alert-urgent'}>
            {l.text}
          </li>
        ))}
      </ul>
    </section>
  );
}

function Simulation() {
  const sim = useApi<SimView | null>('/api/simulation');
  const [form, setForm] = useState<{ rate: string; speed: string; patterns: Record<string, string>; lifecycle: string }>({ rate: '', speed: '', patterns: {}, lifecycle: '' });
  const [msg, setMsg] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    const s = sim.data;
    if (!s) return;
    setForm({
      rate: s.arrivals.mode === 'rate' ? String(s.arrivals.ratePerMinute) : '',
      speed: String(s.speed),
      patterns: Object.fromEntries(PATTERN_NAMES.map((p) => [p, String(Math.round(s.patterns[p] * 100) / 100)])),
      lifecycle: JSON.stringify(s.lifecycle),
    });
  }, [sim.data]);
  if (sim.error) return <ErrorState error={sim.error} retry={sim.reload} what="the simulation" />;
  if (sim.data === null && !sim.loading) return <p className="empty">This server runs without a live simulation (SIMULATION_ENABLED=false).</p>;
  if (!sim.data) return <Skeleton lines={6} />;
  const s = sim.data;
  const put = async (body: unknown) => {
    try {
      await api('/api/simulation', { method: 'PUT', body });
      setMsg({ ok: true, text: 'applied' });
      sim.reload();
    } catch (e) {
      setMsg({ ok: false, text: (e as Error).message });
    }
  };
  return (
    <section className="panel" aria-labelledby="h-sim">
      <h2 id="h-sim">Simulation</h2>
      <p className="muted">
        {s.scenario} on {s.market} · simulated time {dateTime(s.simulatedTime)} · {Math.round(s.ordersPerMinute * 10) / 10} orders/min ·{' '}
        {s.paused ? 'paused' : 'running'}
      </p>
      <div className="row">
        <button type="button" onClick={() => void put({ paused: !s.paused })} data-testid="sim-pause">
          {s.paused ? 'Resume' : 'Pause'}
        </button>
        <label>
          Orders per minute <input inputMode="decimal" size={6} value={form.rate} onChange={(e) => setForm({ ...form, rate: e.target.value })} />
        </label>
        <button type="button" onClick={() => void put({ ratePerMinute: Number(form.rate) })}>
          Set rate
        </button>
        <label>
          Speed <input inputMode="decimal" size={5} value={form.speed} onChange={(e) => setForm({ ...form, speed: e.target.value })} />
        </label>
        <button type="button" onClick={() => void put({ speed: Number(form.speed) })}>
          Set speed
        </button>
      </div>
      <fieldset className="row" style={{ border: '1px solid var(--line)', borderRadius: 6 }}>
        <legend>Pattern mix (shares add up to 1; the ones you leave are rescaled)</legend>
        {PATTERN_NAMES.map((p) => (
          <label key={p} className="stack">
            {label(p)} ({percent(s.patterns[p])})
            <input inputMode="decimal" size={5} value={form.patterns[p] ?? ''} onChange={(e) => setForm({ ...form, patterns: { ...form.patterns, [p]: e.target.value } })} />
          </label>
        ))}
        <button type="button" onClick={() => void put({ patterns: Object.fromEntries(PATTERN_NAMES.map((p) => [p, Number(form.patterns[p])])) })}>
          Set mix
        </button>
      </fieldset>
      <label className="stack" style={{ width: '100%' }}>
        Lifecycle timings, seconds [min, max] (JSON)
        <input style={{ width: '100%' }} value={form.lifecycle} onChange={(e) => setForm({ ...form, lifecycle: e.target.value })} />
      </label>
      <div className="row" style={{ marginTop: 6 }}>
        <button
          type="button"
          onClick={() => {
            try {
              void put({ lifecycle: JSON.parse(form.lifecycle) as unknown });
            } catch {
              setMsg({ ok: false, text: 'lifecycle: not valid JSON' });
            }
          }}
        >
          Set timings
        </button>
      </div>
      {msg ? (
        <p role="status" className={`banner ${msg.ok ? 'ok' : 'error'}`}>
          {msg.text}
        </p>
      ) : null}
    </section>
  );
}
