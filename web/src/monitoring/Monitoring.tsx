/**
 * spec 000's monitoring dashboard: cards and pie from GET /api/orders/summary (refreshed as
 * order events come, at most once a second, so they always equal what the API says), a
 * live feed of the last 200 orders, priority alerts, orders by region, events per second,
 * and the three pattern scenarios one click each.
 */
import { memo, useEffect, useMemo, useRef, useState } from 'react';
import type { LiveSettings } from '../../../src/domain/live.js';
import type { OrderPage } from '../../../src/domain/api.js';
import type { OrderSummary } from '../../../src/domain/web-api.js';
import { Bars, Pie } from '../components/Pie.js';
import { Card, ErrorState, Empty, Priority, Skeleton, Status } from '../components/States.js';
import { TimeChart } from '../components/TimeChart.js';
import { api } from '../lib/api.js';
import { count, dateTime, label, money, percent, time } from '../lib/format.js';
import { useApi, useEvents, useRenderEvery, useThrottled } from '../lib/hooks.js';
import { OPEN, OrderFeed, type OrderView } from '../lib/orders.js';
import { stream } from '../lib/stream.js';

const FEED = 200;
const WINDOW_S = 300;
const SCENARIOS = [
  { name: 'Rush 30%', patch: { rush_orders: 0.3 }, id: 'rush' },
  { name: 'Bulk 40%', patch: { bulk_orders: 0.4 }, id: 'bulk' },
  { name: 'Delayed 20%', patch: { delayed_orders: 0.2 }, id: 'delayed' },
] as const;

export default function Monitoring() {
  const summary = useApi<OrderSummary>('/api/orders/summary');
  const sim = useApi<(LiveSettings & { simulatedTime: string }) | null>('/api/simulation');
  // What the stream brought before this view's code arrived (a burst right after "Live") goes in first.
  const feed = useRef(new OrderFeed(FEED));
  const [version, rerender] = useRenderEvery(200);
  const changes = useRef(0);
  const refresh = useThrottled(summary.reload, 1000);

  // The feed starts with the newest orders the store has; events take it from there.
  useEffect(() => {
    void api<OrderPage>('/api/orders?limit=50').then((page) => {
        feed.current.seed(page.items.map((o) => ({ ...(o as unknown as OrderView), timestamp: o.updated_at, seq: -1, changedAt: 0 })));
        rerender();
      },
      () => undefined, // the summary panel reports the server's state; the feed fills from events
    );
  }, []);

  // What the stream brought before this view's code arrived (a burst right after "Live") goes in
  // first. Taken in the same effect phase as the subscription just below, so no event falls between.
  useEffect(() => {
    if (feed.current.apply(stream.recent(), { quiet: true })) rerender();
  }, []);

  useEvents((events) => {
    const changed = feed.current.apply(events);
    if (changed) {
      changes.current += changed;
      // A flood turns the whole feed over between two renders: then once a second is plenty.
      rerender(changes.current > 100 ? 1000 : 200);
    }
    if (events.some((e) => e.event_type.startsWith('order.'))) refresh();
  });

  // Everything below that comes from the feed is derived once per feed render, not on the
  // summary's reloads (twice a second under load: loading, then the data).
  const { list, calm, recent, urgentShare, alerts } = useMemo(() => {
    // Rows flash when they change, unless so many change that flashing would be noise.
    const calm = changes.current < 20;
    changes.current = 0;
    const list = feed.current.list();
    const live = list.filter((o) => o.seq >= 0);
    const latest = live.reduce((m, o) => Math.max(m, Date.parse(o.timestamp)), 0);
    const recent = live.filter((o) => o.status === 'pending').slice(0, 100);
    const urgentShare = recent.length ? recent.filter((o) => o.priority === 'urgent').length / recent.length : null;
    const alerts = list
      .map((o) => ({ o, kind: OPEN.has(o.status) && latest && Date.parse(o.expected_delivery) < latest ? 'overdue' : o.priority === 'urgent' ? 'urgent' : o.priority === 'high' ? 'high' : null }))
      .filter((a): a is Alert => a.kind !== null && OPEN.has(a.o.status))
      .slice(0, 8);
    return { list, calm, recent, urgentShare, alerts };
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [version]);

  const s = summary.data;
  // Without a summary (a server without a store answers 503) the panels say so rather than
  // show a loading placeholder forever: its pulse animation alone restyled and repainted
  // the page every frame.
  const failed = !s && summary.error !== null;
  const none = failed ? '—' : '…';
  const currency = s ? Object.keys(s.revenue)[0] : undefined;
  return (
    <>
      <h1>Monitoring</h1>
      <div className="row" role="group" aria-label="Pattern scenarios">
        {SCENARIOS.map((sc) => (
          <ScenarioButton key={sc.id} name={sc.name} patch={sc.patch} testid={`scenario-${sc.id}`} onDone={sim.reload} />
        ))}
        {sim.data ? (
          <span className="muted" data-testid="pattern-mix">
            mix: {Object.entries(sim.data.patterns).map(([p, f]) => `${label(p)} ${percent(f)}`).join(' · ')}
          </span>
        ) : sim.data === null && !sim.loading ? (
          <span className="muted">no live simulation on this server</span>
        ) : null}
      </div>
      {summary.error ? <ErrorState error={summary.error} retry={summary.reload} what="the order summary" /> : null}
      <div className="cards">
        <Card title="Total orders" value={s ? count(s.total) : none} testid="card-total" sub={s && currency ? money(s.revenue[currency], currency) : undefined} />
        <Card title="Pending" value={s ? count(s.by_status.pending) : none} testid="card-pending" />
        <Card title="Shipped" value={s ? count(s.by_status.shipped) : none} testid="card-shipped" />
        <Card title="Delayed (past promised delivery)" value={s ? count(s.overdue) : none} testid="card-delayed" />
        <Card title="Urgent share, last 100 new orders" value={percent(urgentShare)} testid="urgent-share" sub={`${recent.length} new ${recent.length === 1 ? 'order' : 'orders'} seen live`} />
      </div>
      <div className="grid">
        <section className="panel" aria-labelledby="h-status">
          <h2 id="h-status">Orders by status</h2>
          <StatusPie summary={s} failed={failed} />
        </section>
        <section className="panel" aria-labelledby="h-alerts">
          <h2 id="h-alerts">Priority alerts</h2>
          <Alerts alerts={alerts} />
        </section>
        <section className="panel" aria-labelledby="h-region">
          <h2 id="h-region">Orders by region</h2>
          <RegionBars summary={s} failed={failed} />
        </section>
      </div>
      <section className="panel" aria-labelledby="h-rate" style={{ marginBottom: 12 }}>
        <h2 id="h-rate">Events per second (last 5 minutes)</h2>
        <EventRate />
      </section>
      <section className="panel" aria-labelledby="h-feed">
        <h2 id="h-feed">Live orders (newest {FEED})</h2>
        <Feed list={list} calm={calm} />
      </section>
    </>
  );
}

type Alert = { o: OrderView; kind: 'urgent' | 'high' | 'overdue' };

// The panels below are memoized: each renders when its own data changes, not whenever the
// view does (the summary reloads, the feed ticks and the rate chart each on their own clock).

const StatusPie = memo(function StatusPie({ summary, failed }: { summary: OrderSummary | null; failed: boolean }) {
  if (!summary) return failed ? <Empty>No summary from the server.</Empty> : <Skeleton />;
  return <Pie label="Orders by status" data={Object.entries(summary.by_status).map(([name, value]) => ({ name, value }))} />;
});

const RegionBars = memo(function RegionBars({ summary, failed }: { summary: OrderSummary | null; failed: boolean }) {
  if (!summary) return failed ? <Empty>No summary from the server.</Empty> : <Skeleton />;
  return (
    <Bars
      label="Orders by region"
      data={Object.entries(summary.by_region)
        .map(([name, value]) => ({ name, value }))
        .sort((a, b) => b.value - a.value)
        .slice(0, 10)}
    />
  );
});

const Alerts = memo(function Alerts({ alerts }: { alerts: Alert[] }) {
  return alerts.length ? (
    <ul className="alerts" data-testid="priority-alerts">
      {alerts.map(({ o, kind }) => (
        <li key={o.order_id} className={`alert-${kind}`}>
          <strong>{kind === 'overdue' ? 'Overdue' : kind === 'urgent' ? 'Urgent' : 'High'}</strong> {o.order_id} · {o.region} · {money(o.total_amount, o.currency)}
          {kind === 'overdue' ? <span className="muted"> · promised {dateTime(o.expected_delivery)}</span> : null}
        </li>
      ))}
    </ul>
  ) : (
    <Empty>No urgent, high-priority or overdue open orders in the feed.</Empty>
  );
});

/** Events per second over a fixed five-minute window: counted per event batch, drawn once a second. */
function EventRate() {
  const perSecond = useRef(new Map<number, number>());
  const [rate, setRate] = useState<{ x: number[]; y: number[] }>({ x: [], y: [] });
  useEvents((events) => {
    const now = Math.floor(Date.now() / 1000);
    perSecond.current.set(now, (perSecond.current.get(now) ?? 0) + events.length);
  });
  useEffect(() => {
    const t = setInterval(() => {
      const now = Math.floor(Date.now() / 1000) - 1;
      const x: number[] = [];
      const y: number[] = [];
      for (let s = now - WINDOW_S + 1; s <= now; s++) {
        x.push(s);
        y.push(perSecond.current.get(s) ?? 0);
      }
      for (const k of perSecond.current.keys()) if (k < now - WINDOW_S) perSecond.current.delete(k);
      setRate({ x, y });
    }, 1000);
    return () => clearInterval(t);
  }, []);
  const ys = useMemo(() => [rate.y], [rate]);
  return <TimeChart label="Events per second over the last five minutes" x={rate.x} ys={ys} series={RATE_SERIES} height={160} />;
}
const RATE_SERIES = [{ label: 'events/s', color: '#2563eb' }];

/** Rows rendered beyond the visible ones on each side, so a scroll shows rows already laid out. */
const OVERSCAN = 8;

/**
 * The feed renders only the rows in view (and a few around them); padding above and below
 * the table stands for the rest, so the scrollbar is that of the whole feed. Under a flood
 * every row is new at each render: laying out 200 rows of eight cells cost tens of
 * milliseconds each time, the rows in view a fraction of that. Rows are one line high
 * (desktop) or one block of lines (phone): their height is measured, not assumed.
 */
const Feed = memo(function Feed({ list, calm }: { list: OrderView[]; calm: boolean }) {
  const box = useRef<HTMLDivElement>(null);
  const body = useRef<HTMLTableSectionElement>(null);
  const [view, setView] = useState({ top: 0, height: 480, row: 34 });
  const shown = list.length > 0;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    let frame = 0;
    const read = () => {
      frame = 0;
      const rows = body.current?.rows;
      const first = rows?.[0];
      const last = rows?.[rows.length - 1];
      const row = first && last ? (last.offsetTop + last.offsetHeight - first.offsetTop) / rows.length : 0;
      setView((v) => {
        const next = { top: el.scrollTop, height: el.clientHeight, row: row > 0 ? row : v.row };
        return Math.abs(next.top - v.top) < 1 && next.height === v.height && Math.abs(next.row - v.row) < 0.5 ? v : next;
      });
    };
    const later = () => void (frame ||= requestAnimationFrame(read));
    el.addEventListener('scroll', later, { passive: true });
    // The width (a phone turned, a window resized) changes the rows' height.
    const resize = new ResizeObserver(later);
    resize.observe(el);
    read();
    return () => {
      el.removeEventListener('scroll', later);
      resize.disconnect();
      cancelAnimationFrame(frame);
    };
  }, [shown]);

  if (!shown) return <Empty>No orders yet — start the simulation (Admin → Controls) or place one in the Shop.</Empty>;
  const from = Math.max(0, Math.floor(view.top / view.row) - OVERSCAN);
  const to = Math.min(list.length, Math.ceil((view.top + view.height) / view.row) + OVERSCAN);
  const now = Date.now();
  return (
    <div className="scroll" tabIndex={0} role="region" aria-label="Scrollable table" ref={box}>
      <div style={{ paddingTop: from * view.row, paddingBottom: (list.length - to) * view.row }}>
        {/* aria-rowcount and aria-rowindex: assistive technology knows the whole feed's size and each row's place. */}
        <table className="responsive fixed" data-testid="order-feed" aria-rowcount={list.length + 1}>
          {/* Widths for one-line cells: the promised delivery, with its zone, is the longest. */}
          <colgroup>
            {[13, 11, 9, 14, 12, 17, 10, 14].map((w, i) => (
              <col key={i} style={{ width: `${w}%` }} />
            ))}
          </colgroup>
          <thead>
            <tr aria-rowindex={1}>
              <th>Order</th>
              <th>Status</th>
              <th>Priority</th>
              <th>Pattern</th>
              <th>Region</th>
              <th>Promised delivery</th>
              <th className="num">Amount</th>
              <th>Updated</th>
            </tr>
          </thead>
          <tbody ref={body}>
            {list.slice(from, to).map((o, i) => (
              <Row key={o.order_id} o={o} index={from + i + 2} flash={calm && now - o.changedAt < 1200} />
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
});

/** An order's row: an order that did not change keeps its object, so its row is not rendered again. */
const Row = memo(function Row({ o, index, flash }: { o: OrderView; index: number; flash: boolean }) {
  return (
    <tr data-order={o.order_id} aria-rowindex={index} className={flash ? 'flash' : undefined}>
      <td data-label="Order">{o.order_id}</td>
      <td data-label="Status">
        <Status value={o.status} />
      </td>
      <td data-label="Priority">
        <Priority value={o.priority} />
      </td>
      <td data-label="Pattern">{label(o.pattern_type)}</td>
      <td data-label="Region">{o.region}</td>
      <td data-label="Promised delivery">{dateTime(o.expected_delivery)}</td>
      <td data-label="Amount" className="num">
        {money(o.total_amount, o.currency)}
      </td>
      <td data-label="Updated">{time(o.timestamp)}</td>
    </tr>
  );
});

function ScenarioButton({ name, patch, testid, onDone }: { name: string; patch: Record<string, number>; testid: string; onDone: () => void }) {
  const [state, setState] = useState<'idle' | 'busy' | 'done' | Error>('idle');
  return (
    <>
      <button
        type="button"
        data-testid={testid}
        disabled={state === 'busy'}
        onClick={() => {
          setState('busy');
          api('/api/simulation', { method: 'PUT', body: { patterns: patch } }).then(
            () => (setState('done'), onDone()),
            (e: Error) => setState(e),
          );
        }}
      >
        {name}
        {state === 'done' ? ' ✓' : ''}
      </button>
      {state instanceof Error ? <span role="alert" className="banner error">{state.message}</span> : null}
    </>
  );
}
