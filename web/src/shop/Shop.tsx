/**
 * spec 001's customer portal: choose a customer, browse products with live stock, fill a
 * cart, place the order, and watch it (and the customer's earlier orders) move live, with
 * a toast for each change of the customer's own orders.
 */
import { useEffect, useMemo, useState } from 'react';
import type { ApiHealth, OrderWithItems, ProductPage } from '../../../src/domain/api.js';
import type { Customer, Product } from '../../../src/domain/entities.js';
import type { CustomerPage, CustomerWithOrders } from '../../../src/domain/web-api.js';
import type { z } from 'zod';
import { Link } from 'react-router';
import { ErrorState, Empty, Skeleton, Status } from '../components/States.js';
import { api, ApiError } from '../lib/api.js';
import { count, dateTime, money } from '../lib/format.js';
import { useApi, useEvents, useThrottled, type Loaded } from '../lib/hooks.js';
import { orderOf } from '../lib/orders.js';

type CustomerT = z.infer<typeof Customer>;
type ProductT = z.infer<typeof Product>;

export default function Shop() {
  const [customer, setCustomer] = useState<CustomerT | null>(null);
  return (
    <>
      <h1>Shop</h1>
      <CustomerPicker selected={customer} onSelect={setCustomer} />
      {customer ? <Storefront key={customer.customer_id} customer={customer} /> : <Empty>Choose a customer to shop as.</Empty>}
    </>
  );
}

function CustomerPicker({ selected, onSelect }: { selected: CustomerT | null; onSelect: (c: CustomerT | null) => void }) {
  const [search, setSearch] = useState('');
  const list = useApi<CustomerPage>(`/api/customers?limit=8${search ? `&search=${encodeURIComponent(search)}` : ''}`);
  const demoLoading = useEmptyStore(list, search);
  if (selected)
    return (
      <div className="row panel" data-testid="current-customer">
        Shopping as <strong>{selected.full_name}</strong> <span className="muted">{selected.email} · {selected.customer_id} · {selected.region}</span>
        <button type="button" className="small" onClick={() => onSelect(null)}>
          Change customer
        </button>
      </div>
    );
  return (
    <section className="panel" aria-labelledby="h-customer" style={{ marginBottom: 12 }}>
      <h2 id="h-customer">Customer</h2>
      <label>
        Search customers <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} placeholder="name, email or id" data-testid="customer-search" />
      </label>
      {list.error && !demoLoading ? <ErrorState error={list.error} retry={list.reload} what="customers" /> : null}
      {!list.data ? (
        demoLoading ? (
          <NoCustomers loading />
        ) : (
          <Skeleton />
        )
      ) : list.data.items.length ? (
        <ul className="list-reset" style={{ marginTop: 8 }} data-testid="customer-results">
          {list.data.items.map((c) => (
            <li key={c.customer_id}>
              <button type="button" className="small" onClick={() => onSelect(c)} style={{ margin: 2 }}>
                {c.full_name} <span className="muted">{c.customer_id}</span>
              </button>
            </li>
          ))}
        </ul>
      ) : search === '' && list.data.total === 0 ? (
        <NoCustomers loading={demoLoading} />
      ) : (
        <Empty>No customer matches “{search}”.</Empty>
      )}
    </section>
  );
}

/**
 * No customer at all (not a search that found none): the demo dataset of a first start is still
 * loading, or the store is empty (the generator fills it; so does a live simulation writing
 * through). Either way the list is asked again meanwhile: every 2 s while the demo loads, every 5 s else.
 */
function useEmptyStore(list: Loaded<CustomerPage>, search: string): boolean {
  const empty = search === '' && list.data?.total === 0;
  const loadingNow = list.error instanceof ApiError && list.error.body?.error === 'demo_loading';
  const health = useApi<ApiHealth>(empty && !loadingNow ? '/api/health' : null);
  const demoLoading = loadingNow || (empty && health.data?.demo_data.state === 'loading');
  const { reload } = list;
  const reloadHealth = health.reload;
  const every = demoLoading ? 2000 : empty ? 5000 : null;
  useEffect(() => {
    if (every === null) return;
    const t = setTimeout(() => {
      reload();
      reloadHealth();
    }, every);
    return () => clearTimeout(t);
  }, [every, reload, reloadHealth, list.data, list.error]);
  return demoLoading;
}

function NoCustomers({ loading }: { loading: boolean }) {
  return loading ? (
    <Empty>
      <span data-testid="no-customers">The demo dataset is still loading: its customers appear here when it is done.</span>
    </Empty>
  ) : (
    <Empty>
      <span data-testid="no-customers">
        The store holds no customers yet. Load some with the <Link to="/generator">Generator</Link> (a scenario’s job writes customers, products and orders), then come back.
      </span>
    </Empty>
  );
}

interface Toast {
  id: number;
  text: string;
}

function Storefront({ customer }: { customer: CustomerT }) {
  const [search, setSearch] = useState('');
  const products = useApi<ProductPage>(`/api/products?limit=24${search ? `&search=${encodeURIComponent(search)}` : ''}`);
  const mine = useApi<CustomerWithOrders>(`/api/customers/${customer.customer_id}?limit=20`);
  const [stock, setStock] = useState<Map<string, number>>(new Map());
  const [cart, setCart] = useState<Map<string, number>>(new Map());
  const [placing, setPlacing] = useState<'idle' | 'busy' | Error>('idle');
  const [toasts, setToasts] = useState<Toast[]>([]);
  const [statuses, setStatuses] = useState<Map<string, string>>(new Map());
  const refreshProducts = useThrottled(products.reload, 2000);
  const refreshMine = useThrottled(mine.reload, 1000);

  const toast = (text: string) => {
    const id = Math.random();
    setToasts((t) => [...t, { id, text }].slice(-4));
    setTimeout(() => setToasts((t) => t.filter((x) => x.id !== id)), 5000);
  };

  useEffect(() => setStock(new Map()), [products.data]);

  useEvents((events) => {
    let stockChanged = false;
    const nextStock = new Map(stock);
    const nextStatuses = new Map(statuses);
    for (const e of events) {
      if (e.event_type === 'stock.updated') {
        nextStock.set(e.data.product_id, e.data.current_stock);
        stockChanged = true;
      }
      const o = orderOf(e);
      if (o && o.customer_id === customer.customer_id) {
        nextStatuses.set(o.order_id, o.status);
        toast(`Order ${o.order_id} is now ${o.status}`);
        if (!mine.data?.orders.some((x) => x.order_id === o.order_id)) refreshMine();
      }
    }
    if (stockChanged) {
      setStock(nextStock);
      refreshProducts();
    }
    if (nextStatuses.size !== statuses.size || [...nextStatuses].some(([k, v]) => statuses.get(k) !== v)) setStatuses(nextStatuses);
  });

  const byId = useMemo(() => new Map((products.data?.items ?? []).map((p) => [p.product_id, p])), [products.data]);
  const level = (p: ProductT) => stock.get(p.product_id) ?? p.stock_quantity;
  const [known, setKnown] = useState<Map<string, ProductT>>(new Map());
  const add = (p: ProductT) => {
    setKnown(new Map(known).set(p.product_id, p));
    setCart(new Map(cart).set(p.product_id, Math.min(level(p), (cart.get(p.product_id) ?? 0) + 1)));
  };
  const lines = [...cart].map(([id, qty]) => ({ product: byId.get(id) ?? known.get(id)!, qty })).filter((l) => l.product);
  const total = lines.reduce((s, l) => s + l.qty * l.product.unit_price, 0);
  const currency = lines[0]?.product.currency ?? 'EGP';

  const place = async () => {
    setPlacing('busy');
    try {
      const order = await api<OrderWithItems>('/api/orders', { method: 'POST', body: { customer_id: customer.customer_id, items: lines.map((l) => ({ product_id: l.product.product_id, quantity: l.qty })) } });
      setCart(new Map());
      setPlacing('idle');
      toast(`Order ${order.order_id} placed`);
      mine.reload();
      products.reload();
    } catch (e) {
      setPlacing(e as Error);
    }
  };

  const orders = mine.data?.orders ?? [];
  return (
    <div className="split">
      <section className="panel" aria-labelledby="h-products">
        <h2 id="h-products">Products</h2>
        <label>
          Search products <input type="search" value={search} onChange={(e) => setSearch(e.target.value)} data-testid="shop-product-search" />
        </label>
        {products.error ? <ErrorState error={products.error} retry={products.reload} what="products" /> : null}
        {!products.data ? (
          <Skeleton lines={6} />
        ) : !products.data.items.length ? (
          <Empty>No products. Load data with the Generator.</Empty>
        ) : (
          <ul className="list-reset" data-testid="shop-products">
            {products.data.items.map((p) => {
              const n = level(p);
              const availability = n === 0 ? 'Out of stock' : n <= p.reorder_threshold ? `Low stock — ${count(n)} left` : `In stock (${count(n)})`;
              return (
                <li key={p.product_id} data-product={p.product_id} className="row" style={{ justifyContent: 'space-between', borderBottom: '1px solid var(--line)', padding: '6px 0' }}>
                  <span>
                    {p.name} <span className="muted">{money(p.unit_price, p.currency)}</span>
                    <br />
                    <span className={n === 0 ? 'badge p-urgent' : n <= p.reorder_threshold ? 'badge p-high' : 'badge'} data-testid="availability">
                      {availability}
                    </span>
                  </span>
                  <button type="button" className="small" disabled={n === 0 || (cart.get(p.product_id) ?? 0) >= n} onClick={() => add(p)} aria-label={`Add ${p.name} to cart`}>
                    Add to cart
                  </button>
                </li>
              );
            })}
          </ul>
        )}
      </section>
      <div>
        <section className="panel" aria-labelledby="h-cart" style={{ marginBottom: 12 }}>
          <h2 id="h-cart">Cart</h2>
          {lines.length ? (
            <>
              <ul className="list-reset" data-testid="cart">
                {lines.map((l) => (
                  <li key={l.product.product_id} className="row">
                    {l.qty} × {l.product.name} <span className="muted">{money(l.qty * l.product.unit_price, l.product.currency)}</span>
                    <button type="button" className="small" onClick={() => setCart(new Map([...cart].filter(([k]) => k !== l.product.product_id)))} aria-label={`Remove ${l.product.name}`}>
                      Remove
                    </button>
                  </li>
                ))}
              </ul>
              <p>
                Total <strong>{money(total, currency)}</strong>
              </p>
              <button type="button" className="primary" disabled={placing === 'busy'} onClick={() => void place()} data-testid="place-order">
                Place order
              </button>
              {placing instanceof Error ? <ErrorState error={placing} what="the order" /> : null}
            </>
          ) : (
            <Empty>Your cart is empty.</Empty>
          )}
        </section>
        <section className="panel" aria-labelledby="h-mine">
          <h2 id="h-mine">Your orders {mine.data ? <span className="muted">({count(mine.data.order_count)})</span> : null}</h2>
          {mine.error ? <ErrorState error={mine.error} retry={mine.reload} what="your orders" /> : null}
          {!mine.data ? (
            <Skeleton />
          ) : orders.length ? (
            <table className="responsive" data-testid="my-orders">
              <thead>
                <tr>
                  <th>Order</th>
                  <th>Placed</th>
                  <th className="num">Amount</th>
                  <th>Status</th>
                </tr>
              </thead>
              <tbody>
                {orders.map((o) => (
                  <tr key={o.order_id} data-order={o.order_id}>
                    <td data-label="Order">{o.order_id}</td>
                    <td data-label="Placed">{dateTime(o.order_date)}</td>
                    <td data-label="Amount" className="num">
                      {money(o.total_amount, o.currency)}
                    </td>
                    <td data-label="Status">
                      <Status value={statuses.get(o.order_id) ?? o.status} />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          ) : (
            <Empty>No orders yet — add something to the cart.</Empty>
          )}
        </section>
      </div>
      <div className="toasts" aria-live="polite">
        {toasts.map((t) => (
          <div key={t.id} className="toast">
            {t.text}
          </div>
        ))}
      </div>
    </div>
  );
}
