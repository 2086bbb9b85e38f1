/**
 * Inventory Management: stock levels with −10/+10 buttons, low-stock badges and alerts
 * (from the products at or below their reorder threshold, and the live alert.low_stock /
 * stock.low / stock.out events), and the simulation's reorder advice with one-click reorder.
 */
import { useState } from 'react';
import type { ProductPage, StockChange } from '../../../src/domain/api.js';
import type { ReorderAdvice } from '../../../src/domain/intelligence-api.js';
import { ErrorState, Empty, Skeleton } from '../components/States.js';
import { api } from '../lib/api.js';
import { count, money, time } from '../lib/format.js';
import { Pager } from '../components/Pager.js';
import { useApi, useEvents, useThrottled } from '../lib/hooks.js';
import { Forecast } from './Forecast.js';

const PAGE = 50;

interface StockAlert {
  key: string;
  at: string;
  level: 'warning' | 'critical';
  text: string;
}

export function Inventory() {
  const [search, setSearch] = useState('');
  const [lowOnly, setLowOnly] = useState(false);
  const [offset, setOffset] = useState(0);
  const params = new URLSearchParams({ limit: String(PAGE), offset: String(offset) });
  if (search) params.set('search', search);
  if (lowOnly) params.set('low_stock', 'true');
  const page = useApi<ProductPage>(`/api/products?${params}`);
  const low = useApi<ProductPage>('/api/products?low_stock=true&limit=20');
  const [alerts, setAlerts] = useState<StockAlert[]>([]);
  const [message, setMessage] = useState<{ ok: boolean; text: string } | null>(null);
  const refresh = useThrottled(() => (page.reload(), low.reload()), 1000);

  useEvents((events) => {
    const fresh: StockAlert[] = [];
    for (const e of events) {
      if (e.event_type === 'alert.low_stock') {
        fresh.push({ key: e.event_id, at: e.timestamp, level: e.data.alert_level, text: e.data.affected_products.map((p) => `${p.product_name} (${p.current_stock} left, safety stock ${p.threshold})`).join('; ') });
      } else if (e.event_type === 'stock.low') {
        fresh.push({ key: e.event_id, at: e.timestamp, level: 'warning', text: `${e.data.product_name} is low: ${e.data.current_stock} left (reorder point ${e.data.threshold})` });
      } else if (e.event_type === 'stock.out') {
        fresh.push({ key: e.event_id, at: e.timestamp, level: 'critical', text: `${e.data.product_name} is out of stock` });
      }
    }
    if (fresh.length) setAlerts((a) => [...fresh.reverse(), ...a].slice(0, 30));
    if (events.some((e) => e.event_type.startsWith('stock.'))) refresh();
  });

  const change = async (id: string, delta: number) => {
    try {
      const r = await api<StockChange>(`/api/products/${id}/stock`, { method: 'PUT', body: { delta } });
      setMessage({ ok: true, text: `${r.product.name}: ${r.previous_quantity} → ${r.product.stock_quantity}` });
      page.reload();
      low.reload();
    } catch (e) {
      setMessage({ ok: false, text: (e as Error).message });
    }
  };

  return (
    <>
      <div className="grid">
        <section className="panel" aria-labelledby="h-low">
          <h2 id="h-low">Low-stock alerts</h2>
          {low.data?.items.length ? (
            <ul className="alerts" data-testid="low-stock-list">
              {low.data.items.map((p) => (
                <li key={p.product_id} className={p.stock_quantity === 0 ? 'alert-urgent' : 'alert-high'} data-product={p.product_id}>
                  <strong>{p.stock_quantity === 0 ? 'Out of stock' : 'Low stock'}</strong> {p.name}: {count(p.stock_quantity)} left (threshold {count(p.reorder_threshold)})
                </li>
              ))}
            </ul>
          ) : low.data ? (
            <Empty>Every product is above its reorder threshold.</Empty>
          ) : (
            <Skeleton />
          )}
          {alerts.length ? (
            <>
              <h3 className="card-title" style={{ marginTop: 8 }}>
                Live stock alerts
              </h3>
              <ul className="alerts" data-testid="stock-alerts">
                {alerts.map((a) => (
                  <li key={a.key} className={a.level === 'critical' ? 'alert-urgent' : 'alert-high'}>
                    <strong>{a.level}</strong> {time(a.at)} · {a.text}
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </section>
        <Reorders />
      </div>
      <Forecast categories={[...new Set((page.data?.items ?? []).map((p) => p.category))]} />
      <section className="panel" aria-labelledby="h-stock">
        <h2 id="h-stock">Stock levels</h2>
        <div className="row">
          <label>
            Search <input type="search" value={search} onChange={(e) => (setSearch(e.target.value), setOffset(0))} data-testid="product-search" />
          </label>
          <label>
            <input type="checkbox" checked={lowOnly} onChange={(e) => (setLowOnly(e.target.checked), setOffset(0))} /> low stock only
          </label>
        </div>
        {message ? (
          <div className={`banner ${message.ok ? 'ok' : 'error'}`} role="status" data-testid="stock-result">
            {message.text}
          </div>
        ) : null}
        {page.error ? <ErrorState error={page.error} retry={page.reload} what="products" /> : null}
        {!page.data ? (
          <Skeleton lines={8} />
        ) : !page.data.items.length ? (
          <Empty>No products match. Load data with the Generator.</Empty>
        ) : (
          <div className="scroll" tabIndex={0} role="region" aria-label="Scrollable table">
            <table className="responsive" data-testid="stock-table">
              <thead>
                <tr>
                  <th>Product</th>
                  <th>Category</th>
                  <th className="num">Price</th>
                  <th className="num">In stock</th>
                  <th className="num">Threshold</th>
                  <th>State</th>
                  <th>Change</th>
                </tr>
              </thead>
              <tbody>
                {page.data.items.map((p) => {
                  const isLow = p.stock_quantity <= p.reorder_threshold;
                  return (
                    <tr key={p.product_id} data-product={p.product_id}>
                      <td data-label="Product">
                        {p.name} <span className="muted">{p.product_id}</span>
                      </td>
                      <td data-label="Category">{p.category}</td>
                      <td data-label="Price" className="num">
                        {money(p.unit_price, p.currency)}
                      </td>
                      <td data-label="In stock" className="num" data-testid="stock-qty">
                        {count(p.stock_quantity)}
                      </td>
                      <td data-label="Threshold" className="num">
                        {count(p.reorder_threshold)}
                      </td>
                      <td data-label="State">{p.stock_quantity === 0 ? <span className="badge p-urgent">out</span> : isLow ? <span className="badge p-high">low</span> : <span className="badge">ok</span>}</td>
                      <td data-label="Change">
                        <div className="row" style={{ margin: 0 }}>
                          <button type="button" className="small" onClick={() => void change(p.product_id, -10)} disabled={p.stock_quantity < 10} aria-label={`Take 10 of ${p.name}`}>
                            −10
                          </button>
                          <button type="button" className="small" onClick={() => void change(p.product_id, 10)} aria-label={`Add 10 of ${p.name}`}>
                            +10
                          </button>
                        </div>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          </div>
        )}
        <Pager offset={offset} size={PAGE} total={page.data?.total ?? null} onOffset={setOffset} />
      </section>
    </>
  );
}

function Reorders() {
  const advice = useApi<{ at: string; items: ReorderAdvice[] }>('/api/inventory/reorders');
  const [note, setNote] = useState<string | null>(null);
  const reorder = async (product_id: string) => {
    try {
      await api('/api/inventory/reorders', { method: 'POST', body: { product_id } });
      setNote(`purchase order placed for ${product_id}`);
      advice.reload();
    } catch (e) {
      setNote((e as Error).message);
    }
  };
  const items = advice.data?.items.filter((a) => a.status === 'reorder').slice(0, 8) ?? [];
  return (
    <section className="panel" aria-labelledby="h-reorder">
      <h2 id="h-reorder">Reorder advice</h2>
      {advice.error ? (
        <p className="muted">{advice.error.message}</p>
      ) : !advice.data ? (
        <Skeleton />
      ) : items.length ? (
        <ul className="alerts">
          {items.map((a) => (
            <li key={a.product_id}>
              {a.product_name}: position {count(a.position)} ≤ reorder point {count(a.reorder_point)}{' '}
              <button type="button" className="small" onClick={() => void reorder(a.product_id)}>
                Reorder
              </button>
            </li>
          ))}
        </ul>
      ) : (
        <Empty>No product needs reordering.</Empty>
      )}
      {note ? <p role="status">{note}</p> : null}
    </section>
  );
}
