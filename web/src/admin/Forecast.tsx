/** Forecast against actual for one category (GET /api/forecasts/view): units sold per day, the day-ahead forecast with its 95% interval, and the current forecast ahead. */
import { useState } from 'react';
import type { ForecastView } from '../../../src/domain/intelligence-api.js';
import { Skeleton } from '../components/States.js';
import { TimeChart } from '../components/TimeChart.js';
import { useApi } from '../lib/hooks.js';

export function Forecast({ categories }: { categories: string[] }) {
  const [category, setCategory] = useState<string | null>(null);
  const chosen = category ?? categories[0] ?? null;
  const view = useApi<ForecastView>(chosen ? `/api/forecasts/view?category=${encodeURIComponent(chosen)}&days=28` : null);
  const v = view.data;
  const days = new Map<string, { actual?: number; expected?: number; lower?: number; upper?: number }>();
  for (const a of v?.actual ?? []) days.set(a.date, { ...days.get(a.date), actual: a.units });
  for (const f of [...(v?.day_ahead ?? []), ...(v?.forecast ?? [])]) days.set(f.date, { ...days.get(f.date), expected: f.expected, lower: f.lower, upper: f.upper });
  const dates = [...days.keys()].sort();
  const col = (k: 'actual' | 'expected' | 'lower' | 'upper') => dates.map((d) => days.get(d)?.[k] ?? (null as unknown as number));
  return (
    <section className="panel" aria-labelledby="h-forecast" style={{ marginBottom: 12 }}>
      <h2 id="h-forecast">Forecast against actual, units per day</h2>
      <label>
        Category
        <select value={chosen ?? ''} onChange={(e) => setCategory(e.target.value)}>
          {categories.map((c) => (
            <option key={c}>{c}</option>
          ))}
        </select>
      </label>
      {view.error ? (
        <p className="muted">{view.error.message}</p>
      ) : !v ? (
        <Skeleton />
      ) : (
        <>
          <TimeChart
            key={chosen}
            dates
            label={`Units sold per day in ${chosen} against the forecast and its 95% interval`}
            x={dates.map((d) => Date.parse(`${d}T12:00:00Z`) / 1000)}
            ys={[col('actual'), col('expected'), col('upper'), col('lower')]}
            series={[
              { label: 'sold', color: '#2563eb' },
              { label: 'forecast', color: '#d97706', dash: [6, 3] },
              { label: '95% upper', color: '#94a3b8', dash: [2, 3] },
              { label: '95% lower', color: '#94a3b8', dash: [2, 3] },
            ]}
          />
          <p className="muted">{v.method ? `${v.method}, made ${v.made_at?.slice(0, 16).replace('T', ' ')} UTC` : 'no forecast yet'}</p>
        </>
      )}
    </section>
  );
}
