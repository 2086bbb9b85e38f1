/** Analytics from the store: orders and revenue per day, top products, by region (GET /api/analytics/range). */
import { useState } from 'react';
import type { RangeAnswer } from '../../../src/domain/intelligence-api.js';
import { Bars } from '../components/Pie.js';
import { Card, ErrorState, Skeleton } from '../components/States.js';
import { TimeChart } from '../components/TimeChart.js';
import { count, money, moneyShort } from '../lib/format.js';
import { useApi } from '../lib/hooks.js';

const iso = (ms: number) => new Date(ms).toISOString().slice(0, 10);

export function Analytics() {
  const sim = useApi<{ simulatedTime: string } | null>('/api/simulation');
  const [days, setDays] = useState(14);
  const end = sim.data ? Date.parse(sim.data.simulatedTime) : sim.loading ? null : Date.now();
  const path = end === null ? null : `/api/analytics/range?from=${iso(end - (days - 1) * 86_400_000)}&to=${iso(end)}`;
  const range = useApi<RangeAnswer>(path);
  const r = range.data;
  return (
    <>
      <div className="row">
        <label>
          Days
          <select value={days} onChange={(e) => setDays(Number(e.target.value))}>
            {[7, 14, 30, 90].map((d) => (
              <option key={d} value={d}>
                last {d} days
              </option>
            ))}
          </select>
        </label>
        {r ? <span className="muted">{r.from} to {r.to}, local days of {r.market}</span> : null}
      </div>
      {range.error ? <ErrorState error={range.error} retry={range.reload} what="analytics" /> : null}
      {!r ? (
        <Skeleton lines={6} />
      ) : (
        <>
          <div className="cards">
            <Card title="Orders" value={count(r.total.orders)} />
            <MoneyCard title="Revenue" amount={r.total.revenue} currency={r.total.currency} testid="analytics-revenue" />
            <MoneyCard title="Average order" amount={r.total.average_order_value} currency={r.total.currency} />
            <Card title="Delivered late" value={count(r.total.delayed)} />
          </div>
          <div className="grid">
            <section className="panel" aria-labelledby="h-orders-day">
              <h2 id="h-orders-day">Orders per day</h2>
              <TimeChart dates label="Orders per day" x={r.days.map((d) => Date.parse(d.date) / 1000)} ys={[r.days.map((d) => d.orders)]} series={[{ label: 'orders', color: '#2563eb' }]} />
            </section>
            <section className="panel" aria-labelledby="h-revenue-day">
              <h2 id="h-revenue-day">Revenue per day ({r.total.currency})</h2>
              <TimeChart dates label="Revenue per day" x={r.days.map((d) => Date.parse(d.date) / 1000)} ys={[r.days.map((d) => d.revenue)]} series={[{ label: 'revenue', color: '#059669', dash: [6, 3] }]} />
            </section>
          </div>
          <div className="grid">
            <section className="panel" aria-labelledby="h-top">
              <h2 id="h-top">Top products (units)</h2>
              <Bars label="Top products by units" data={r.total.top_products.map((p) => ({ name: p.product_name, value: p.units }))} />
            </section>
            <section className="panel" aria-labelledby="h-by-region">
              <h2 id="h-by-region">Orders by region</h2>
              <Bars
                label="Orders by region"
                data={Object.entries(r.total.by_region)
                  .map(([name, value]) => ({ name, value }))
                  .sort((a, b) => b.value - a.value)
                  .slice(0, 10)}
              />
            </section>
          </div>
        </>
      )}
    </>
  );
}

/** An amount as a card's big number: compact from a million on (EGP 28.7M), the exact amount under it then and on hover. */
function MoneyCard({ title, amount, currency, testid }: { title: string; amount: number | null; currency: string; testid?: string }) {
  const short = moneyShort(amount, currency);
  const exact = money(amount, currency);
  const compacted = short.replace(/\s/g, ' ') !== exact.replace(/\s/g, ' ');
  return <Card title={title} value={short} exact={compacted ? exact : undefined} sub={compacted ? exact : undefined} testid={testid} />;
}
