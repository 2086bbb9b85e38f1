/**
 * A live event explorer for people writing consumers (modelled on Supabase's realtime
 * inspector): channel filter, pause/resume, search by order id, the envelope as JSON with
 * its event type's schema, and "follow one order" for its whole lifecycle.
 */
import { useMemo, useRef, useState } from 'react';
import { CHANNELS, entityKey, EVENT_CHANNELS, type DomainEvent, type SequencedEnvelope } from '../../../src/domain/events.js';
import { Empty } from '../components/States.js';
import { time } from '../lib/format.js';
import { useApi, useEvents, useRenderEvery } from '../lib/hooks.js';
import { stream } from '../lib/stream.js';
import type { OrderWithItems } from '../../../src/domain/api.js';

const CAP = 500;
/** Rows on screen: the newest that match. */
const SHOWN = 200;

/** What an event is about, as its Kafka key names it: the order, the product, a row change's row. */
const subjectOf = (e: SequencedEnvelope) => entityKey({ type: e.event_type, data: e.data } as DomainEvent) ?? '';
/** The order an event belongs to: its order_id, or the row of an order's row change. */
const orderOf = (e: SequencedEnvelope) => (e.data as { order_id?: string }).order_id ?? (e.event_type.startsWith('db.orders.') ? (e.data as { row_id: string }).row_id : undefined);

export default function Events() {
  // What the page received before this view opened comes first (and what arrives before it subscribes, next).
  const buffer = useRef<SequencedEnvelope[]>(stream.recent());
  const shownFirst = useRef(buffer.current.at(-1) ?? null);
  const [version, rerender] = useRenderEvery(200);
  const [channel, setChannel] = useState<string>('all');
  const [paused, setPaused] = useState(false);
  const [search, setSearch] = useState('');
  const [selected, setSelected] = useState<SequencedEnvelope | null>(null);
  const [follow, setFollow] = useState<string | null>(null);
  const [followed, setFollowed] = useState<SequencedEnvelope[]>([]);
  const [held, setHeld] = useState(0);

  useEvents((batch) => {
    if (follow) {
      const mine = batch.filter((e) => orderOf(e) === follow);
      if (mine.length) setFollowed((f) => [...f, ...mine]);
    }
    if (paused) return setHeld((h) => h + batch.length);
    const b = buffer.current;
    for (const e of batch) b.push(e);
    if (b.length > CAP * 2) b.splice(0, b.length - CAP);
    rerender();
  }, shownFirst.current);

  // eslint-disable-next-line react-hooks/exhaustive-deps
  const events = useMemo(() => buffer.current.slice(-CAP).reverse(), [version]);
  const shown = useMemo(() => {
    const needle = search.toLowerCase();
    const out: SequencedEnvelope[] = [];
    for (const e of events) {
      if (out.length >= SHOWN) break;
      if ((channel === 'all' || EVENT_CHANNELS[e.event_type] === channel) && (!needle || JSON.stringify(e.data).toLowerCase().includes(needle))) out.push(e);
    }
    return out;
  }, [events, channel, search]);
  const orderId = selected ? orderOf(selected) : undefined;

  return (
    <>
      <h1>Events</h1>
      <div className="row">
        <label>
          Channel
          <select value={channel} onChange={(e) => setChannel(e.target.value)} data-testid="event-channel">
            {CHANNELS.map((c) => (
              <option key={c}>{c}</option>
            ))}
          </select>
        </label>
        <label>
          Search <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="order id, product id, any text" data-testid="event-search" />
        </label>
        <button type="button" onClick={() => (setPaused(!paused), setHeld(0))} aria-pressed={paused} data-testid="event-pause">
          {paused ? `Resume (${held} arrived while paused)` : 'Pause'}
        </button>
        <span className="muted">
          showing {shown.length} of the last {events.length} events (the newest {SHOWN} that match)
        </span>
      </div>
      <div className="split">
        <section className="panel" aria-labelledby="h-stream">
          <h2 id="h-stream">Stream</h2>
          {shown.length ? (
            <ul className="list-reset events-list scroll" data-testid="event-list" tabIndex={0} aria-label="Events, newest first">
              {shown.map((e) => (
                <li key={e.event_id}>
                  <button type="button" aria-pressed={selected?.event_id === e.event_id} onClick={() => setSelected(e)}>
                    #{e.seq} {time(e.timestamp)} <strong>{e.event_type}</strong> <span className="subject">{subjectOf(e)}</span>
                  </button>
                </li>
              ))}
            </ul>
          ) : (
            <Empty>{paused ? 'Paused.' : 'Waiting for events… (start the simulation, or place an order in the Shop).'}</Empty>
          )}
        </section>
        <section className="panel" aria-labelledby="h-detail">
          <h2 id="h-detail">Envelope</h2>
          {selected ? (
            <>
              <p className="muted">
                channel <strong>{EVENT_CHANNELS[selected.event_type]}</strong> · schema:{' '}
                <a href={`/asyncapi.json`} target="_blank" rel="noreferrer">
                  {selected.event_type} in the AsyncAPI document
                </a>
              </p>
              {orderId ? (
                <button type="button" onClick={() => (setFollow(orderId), setFollowed(events.filter((e) => orderOf(e) === orderId).reverse()))} data-testid="follow-order">
                  Follow {orderId}
                </button>
              ) : null}
              <pre className="json" tabIndex={0} aria-label="Event JSON">
                {JSON.stringify(selected, null, 2)}
              </pre>
            </>
          ) : (
            <Empty>Select an event to see its envelope.</Empty>
          )}
          {follow ? (
            <>
              <h2 style={{ marginTop: 12 }}>Following {follow}</h2>
              <History orderId={follow} />
              <h3 className="card-title">Events since you started following</h3>
              <ol data-testid="followed">
                {followed.map((e) => (
                  <li key={e.event_id}>
                    {time(e.timestamp)} {e.event_type} {(e.data as { status?: string }).status ?? ''}
                  </li>
                ))}
              </ol>
              <button type="button" className="small" onClick={() => setFollow(null)}>
                Stop following
              </button>
            </>
          ) : null}
        </section>
      </div>
    </>
  );
}

/** The order's lifecycle so far, from the store (every status with its time). */
function History({ orderId }: { orderId: string }) {
  const order = useApi<OrderWithItems>(`/api/orders/${orderId}`);
  if (order.error) return <p className="muted">History: {order.error.message}</p>;
  if (!order.data) return null;
  return (
    <ol data-testid="order-history">
      {order.data.status_history.map((h) => (
        <li key={`${h.status}-${h.at}`}>
          {time(h.at)} {h.status}
        </li>
      ))}
    </ol>
  );
}
