/**
 * A uPlot time series (loaded with the view that uses it): fixed size window, redrawn on data change.
 * Its time axis is in the market's time, 24-hour, like every time in the app (lib/format.ts), the
 * zone written under it; with `dates`, the x values are calendar days (UTC midnights or noons).
 */
import { useEffect, useRef, useState } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';
import { axisTimes, wallClock, zone } from '../lib/format.js';
import { marketReady } from '../lib/market.js';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });
const DAY = 86_400;
/** Days apart for a chart of calendar days: never less than one (a tick at noon would repeat its date). Months as uPlot counts them (30 days). */
const DAY_STEPS = [1, 2, 3, 4, 5, 7, 10, 15, 30, 60, 90, 180, 365].map((d) => d * DAY);
/** Seconds apart for a chart of instants: whole seconds, minutes and hours of the market's clock. */
const TIME_STEPS = [1, 5, 10, 15, 30, 60, 300, 600, 900, 1800, 3600, 7200, 10800, 14400, 21600, 28800, 43200, ...DAY_STEPS];
/** Pixels from one tick to the next at least, for labels `step` apart (axisTimes): "23:59:30", "23:59" or "29 Nov" at 12 px, and a gap. */
const labelSpace = (step: number) => (step < 60 ? 66 : step < DAY ? 50 : 54);
/**
 * uPlot asks for one minimum spacing, then picks the finest step that spaces ticks at least that
 * far; but a label's width depends on the step. So the finest step whose own labels fit is found
 * here, and the spacing it gives returned (a hair less): uPlot then picks exactly that step, and
 * labels never overlap (one fixed minimum either overlapped "23:59:30" labels or left a phone's
 * chart with a single tick).
 */
const xSpace = (steps: readonly number[]) => (_u: uPlot, _axis: number, min: number, max: number, px: number) => {
  const range = Math.max(1, max - min);
  const step = steps.find((s) => (px * s) / range >= labelSpace(s)) ?? steps[steps.length - 1];
  return Math.max(labelSpace(step), (px * step) / range - 0.01);
};

export interface Series {
  label: string;
  color: string;
  dash?: number[];
}

export function TimeChart({ x, ys, series, label, height = 180, dates = false }: { x: number[]; ys: number[][]; series: Series[]; label: string; height?: number; dates?: boolean }) {
  const [zoneText, setZoneText] = useState(zone);
  const box = useRef<HTMLDivElement>(null);
  const plot = useRef<uPlot | null>(null);
  const data = useRef<[number[], ...number[][]]>([x, ...ys]);
  data.current = [x, ...ys];

  useEffect(() => {
    let disposed = false;
    let observer: ResizeObserver | null = null;
    // The chart's code comes with the first chart; a server restarting just then is retried.
    type Mod = { default: typeof uPlot };
    const load = (attempt: number): Promise<Mod> =>
      (import('uplot') as Promise<Mod>).catch((err: unknown) => (attempt < 10 && !disposed ? new Promise((r) => setTimeout(r, 1000)).then(() => load(attempt + 1)) : Promise.reject(err)));
    // The market's zone is known before the first axis is drawn (it is asked for at the app's start).
    void Promise.all([load(0), marketReady]).then(([{ default: UPlot }]) => {
      if (disposed || !box.current) return;
      setZoneText(zone());
      const width = box.current.clientWidth || 600;
      plot.current = new UPlot(
        {
          width,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          // uPlot lays time ticks out in local fields: given the market's wall clock, they fall on its whole minutes, hours and days.
          tzDate: (t: number) => wallClock(t, dates),
          axes: [
            {
              stroke: 'currentColor',
              grid: { stroke: 'rgba(128,128,128,.2)' },
              incrs: dates ? DAY_STEPS : TIME_STEPS,
              space: xSpace(dates ? DAY_STEPS : TIME_STEPS),
              size: 32,
              values: (_u: uPlot, ticks: number[], _axis: number, _space: number, step: number) => axisTimes(ticks, step, dates),
            },
            { stroke: 'currentColor', size: 56, grid: { stroke: 'rgba(128,128,128,.2)' }, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => compact.format(t)) },
          ],
          series: [{}, ...series.map((s) => ({ label: s.label, stroke: s.color, width: 2, dash: s.dash, points: { show: false } }))],
        },
        data.current,
        box.current,
      );
      observer = new ResizeObserver(() => box.current && plot.current?.setSize({ width: box.current.clientWidth, height }));
      observer.observe(box.current);
    });
    return () => {
      disposed = true;
      observer?.disconnect();
      plot.current?.destroy();
      plot.current = null;
    };
    // The series are fixed for a chart's life.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  useEffect(() => {
    plot.current?.setData(data.current);
  }, [x, ys]);

  const last = ys.map((y) => y[y.length - 1]);
  return (
    <figure className="chart-box">
      <div className="chart" ref={box} role="img" aria-label={label} />
      <figcaption className="legend inline">
        {series.map((s, i) => (
          <span key={s.label}>
            <span className="swatch line" style={{ borderColor: s.color, borderStyle: s.dash ? 'dashed' : 'solid' }} aria-hidden="true" />
            {s.label} {last[i] != null ? <strong>{compact.format(last[i])}</strong> : null}
          </span>
        ))}
        {dates ? null : <span className="muted">times in {zoneText}</span>}
      </figcaption>
    </figure>
  );
}
