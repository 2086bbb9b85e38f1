/**
 * The orders table: filters, search, paging through thousands (server-side, 25 a page),
 * one-click moves along the lifecycle. The page refreshes as order events arrive (at most
 * once a second) and a row flashes when its order changed.
 */
import { useState } from 'react';
import { ORDER_TRANSITIONS, type OrderPage } from '../../../src/domain/api.js';
import { ORDER_STATUSES, PATTERN_NAMES, PRIORITIES, type OrderStatus } from '../../../src/domain/entities.js';
import { ErrorState, Empty, Priority, Skeleton, Status } from '../components/States.js';
import { api } from '../lib/api.js';
import { count, dateTime, label, money } from '../lib/format.js';
import { Pager } from '../components/Pager.js';
import { useApi, useEvents, useThrottled } from '../lib/hooks.js';

const PAGE = 25;

export function Orders() {
  const [filters, setFilters] = useState({ status: '', priority: '', pattern_type: '', region: '', search: '', overdue: '' });
  const [offset, setOffset] = useState(0);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  for (const [k, v] of Object.entries(filters)) if (v) params.set(k, v);
  const page = useApi<OrderPage>(`/api/orders?${params}`);
  const refresh = useThrottled(page.reload, 1000);
  const [changed, setChanged] = useState<Set<string>>(new Set());
  useEvents((events) => {
    const ids = events.filter((e) => e.event_type.startsWith('order.')).map((e) => (e.data as { order_id: string }).order_id);
    if (!ids.length) return;
    setChanged(new Set(ids));
    refresh();
  });

  const set = (k: keyof typeof filters) => (e: React.ChangeEvent<HTMLInputElement | HTMLSelectElement>) => {
    setFilters({ ...filters, [k]: e.target.value });
    setOffset(0);
  };
  /** One step, or several forward steps in turn (pending → processing records confirmed in between). */
  const move = async (id: string, ...steps: OrderStatus[]) => {
    try {
      let from = '';
      for (const status of steps) {
        const r = await api<{ previous_status: string }>(`/api/orders/${id}/status`, { method: 'PUT', body: { status } });
        from ||= r.previous_status;
      }
      setMessage({ ok: true, text: `${id}: ${[from, ...steps].join(' → ')}` });
      page.reload();
    } catch (e) {
      setMessage({ ok: false, text: `${id}: ${(e as Error).message}` });
    }
  };

  const total = page.data?.total ?? 0;
  return (
    <section aria-label="Orders">
      <form className="row" role="search" onSubmit={(e) => e.preventDefault()}>
        <label>
          Search <input type="search" value={filters.search} onChange={set('search')} placeholder="order id, customer, email" data-testid="order-search" />
        </label>
        <Select name="Status" value={filters.status} onChange={set('status')} options={ORDER_STATUSES} />
        <Select name="Priority" value={filters.priority} onChange={set('priority')} options={PRIORITIES} />
        <Select name="Pattern" value={filters.pattern_type} onChange={set('pattern_type')} options={PATTERN_NAMES} />
        <Select name="Overdue" value={filters.overdue} onChange={set('overdue')} options={['true', 'false']} />
        <label>
          Region <input value={filters.region} onChange={set('region')} size={10} />
        </label>
      </form>
      {message ? (
        <div className={`banner ${message.ok ? 'ok' : 'error'}`} role="status" data-testid="move-result">
          {message.text}
        </div>
      ) : null}
      {page.error ? <ErrorState error={page.error} retry={page.reload} what="orders" /> : null}
      {!page.data ? (
        <Skeleton lines={8} />
      ) : page.data.items.length === 0 ? (
        <Empty>No orders match. Clear the filters, or place an order in the Shop.</Empty>
      ) : (
        <div className="scroll" tabIndex={0} role="region" aria-label="Scrollable table">
          <table className="responsive" data-testid="orders-table">
            <thead>
              <tr>
                <th>Order</th>
                <th>Customer</th>
                <th>Status</th>
                <th>Priority</th>
                <th>Region</th>
                <th>Placed</th>
                <th className="num">Amount</th>
                <th>Actions</th>
              </tr>
            </thead>
            <tbody>
              {page.data.items.map((o) => (
                <tr key={o.order_id} data-order={o.order_id} className={changed.has(o.order_id) ? 'flash' : undefined}>
                  <td data-label="Order">{o.order_id}</td>
                  <td data-label="Customer">{o.customer_email}</td>
                  <td data-label="Status">
                    <Status value={o.status} />
                  </td>
                  <td data-label="Priority">
                    <Priority value={o.priority} />
                  </td>
                  <td data-label="Region">{o.region}</td>
                  <td data-label="Placed">{dateTime(o.order_date)}</td>
                  <td data-label="Amount" className="num">
                    {money(o.total_amount, o.currency)}
                  </td>
                  <td data-label="Actions">
                    <div className="row" style={{ margin: 0 }}>
                      {ORDER_TRANSITIONS[o.status].map((next) => (
                        <button key={next} type="button" className="small" onClick={() => void move(o.order_id, next)} aria-label={`Move ${o.order_id} to ${next}`}>
                          → {next}
                        </button>
                      ))}
                      {o.status === 'pending' ? (
                        <button type="button" className="small" onClick={() => void move(o.order_id, 'confirmed', 'processing')} aria-label={`Move ${o.order_id} to processing (confirmed recorded on the way)`}>
                          → processing
                        </button>
                      ) : null}
                    </div>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      <Pager offset={offset} size={PAGE} total={total} onOffset={setOffset} empty="0 orders" testId="orders-range" />
    </section>
  );
}

function Select({ name, value, onChange, options }: { name: string; value: string; onChange: (e: React.ChangeEvent<HTMLSelectElement>) => void; options: readonly string[] }) {
  return (
    <label>
      {name}
      <select value={value} onChange={onChange}>
        <option value="">any</option>
        {options.map((o) => (
          <option key={o} value={o}>
            {label(o)}
          </option>
        ))}
      </select>
    </label>
  );
}
