/** A small SVG pie with a text legend (count and share for each slice): readable without colour. */
const PALETTE = ['#2563eb', '#d97706', '#0891b2', '#7c3aed', '#059669', '#64748b', '#dc2626', '#db2777'];

export function Pie({ data, label }: { data: Array<{ name: string; value: number }>; label: string }) {
  const total = data.reduce((s, d) => s + d.value, 0);
  let angle = -Math.PI / 2;
  const slices = data.map((d, i) => {
    const a = total ? (d.value / total) * Math.PI * 2 : 0;
    const start = angle;
    angle += a;
    const large = a > Math.PI ? 1 : 0;
    const [x1, y1, x2, y2] = [Math.cos(start), Math.sin(start), Math.cos(angle), Math.sin(angle)];
    const path = a >= Math.PI * 2 - 1e-9 ? 'M 0 -1 A 1 1 0 1 1 -0.001 -1 Z' : `M 0 0 L ${x1} ${y1} A 1 1 0 ${large} 1 ${x2} ${y2} Z`;
    return { ...d, path, color: PALETTE[i % PALETTE.length] };
  });
  return (
    <figure className="pie">
      <svg viewBox="-1.05 -1.05 2.1 2.1" role="img" aria-label={`${label}: ${data.map((d) => `${d.name} ${d.value}`).join(', ')}`}>
        {total === 0 ? <circle r="1" fill="var(--line)" /> : slices.filter((s) => s.value > 0).map((s) => <path key={s.name} d={s.path} fill={s.color} stroke="var(--bg)" strokeWidth="0.02" />)}
      </svg>
      <figcaption>
        <ul className="legend">
          {slices.map((s) => (
            <li key={s.name} data-testid={`pie-${s.name}`}>
              <span className="swatch" style={{ background: s.color }} aria-hidden="true" />
              {s.name.replace(/_/g, ' ')} <strong>{s.value.toLocaleString('en-US')}</strong>
              <span className="muted"> {total ? Math.round((s.value / total) * 100) : 0}%</span>
            </li>
          ))}
        </ul>
      </figcaption>
    </figure>
  );
}

/** Horizontal bars with the number written on each bar. */
export function Bars({ data, label }: { data: Array<{ name: string; value: number }>; label: string }) {
  const max = Math.max(1, ...data.map((d) => d.value));
  return (
    <ul className="bars" aria-label={label}>
      {data.map((d) => (
        <li key={d.name}>
          <span className="bar-name">{d.name}</span>
          <span className="bar-track">
            <span className="bar-fill" style={{ width: `${(d.value / max) * 100}%` }} />
          </span>
          <span className="bar-value">{d.value.toLocaleString('en-US')}</span>
        </li>
      ))}
    </ul>
  );
}
