/** A uPlot time series (loaded with the view that uses it): fixed size window, redrawn on data change. */
import { useEffect, useRef } from 'react';
import type uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

const compact = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

export interface Series {
  label: string;
  color: string;
  dash?: number[];
}

export function TimeChart({ x, ys, series, label, height = 180 }: { x: number[]; ys: number[][]; series: Series[]; label: string; height?: number }) {
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
    void load(0).then(({ default: UPlot }) => {
      if (disposed || !box.current) return;
      const width = box.current.clientWidth || 600;
      plot.current = new UPlot(
        {
          width,
          height,
          legend: { show: false },
          cursor: { drag: { x: false, y: false } },
          scales: { x: { time: true } },
          axes: [{ stroke: 'currentColor', grid: { stroke: 'rgba(128,128,128,.2)' } }, { stroke: 'currentColor', size: 56, grid: { stroke: 'rgba(128,128,128,.2)' }, values: (_u: uPlot, ticks: number[]) => ticks.map((t) => compact.format(t)) }],
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
      </figcaption>
    </figure>
  );
}
