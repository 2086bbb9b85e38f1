import type { ReactNode } from 'react';
import { ApiError } from '../lib/api.js';

export function Skeleton({ lines = 3 }: { lines?: number }) {
  return (
    <div className="skeleton" aria-busy="true" aria-label="Loading">
      {Array.from({ length: lines }, (_, i) => (
        <div key={i} className="skeleton-line" />
      ))}
    </div>
  );
}

export function ErrorState({ error, retry, what }: { error: Error; retry?: () => void; what: string }) {
  const refused = error instanceof ApiError && error.refused;
  // No database at all is not a switch the user can flip here; the server's message says how it was started.
  const noStore = error instanceof ApiError && error.body?.error === 'store_disabled';
  return (
    <div className="banner error" role="alert">
      <strong>{refused ? `${what}: refused by the server.` : `Could not load ${what}.`}</strong> {error.message}
      {refused && !noStore ? ' Writes are disabled: enable them in Generator → “Mock data writes”, or start the server with MOCK_DATA_ENABLED=true.' : ''}
      {retry ? (
        <>
          {' '}
          <button type="button" className="small" onClick={retry}>
            Retry
          </button>
        </>
      ) : null}
    </div>
  );
}

export function Empty({ children }: { children: ReactNode }) {
  return <p className="empty">{children}</p>;
}

/** One big number: it wraps between words on a narrow card, never inside a figure (a long amount comes as moneyShort, the exact one in `exact`). */
export function Card({ title, value, sub, testid, exact }: { title: string; value: ReactNode; sub?: ReactNode; testid?: string; exact?: string }) {
  return (
    <section className="card" aria-label={title}>
      <h2 className="card-title">{title}</h2>
      <p className="card-value" data-testid={testid} title={exact}>
        {value}
      </p>
      {sub ? <p className="card-sub muted">{sub}</p> : null}
    </section>
  );
}

const PRIORITY_CLASS: Record<string, string> = { urgent: 'p-urgent', high: 'p-high', medium: 'p-medium', low: 'p-low' };
export function Priority({ value }: { value: string }) {
  return <span className={`badge ${PRIORITY_CLASS[value] ?? ''}`}>{value}</span>;
}
export function Status({ value }: { value: string }) {
  return (
    <span className={`badge s-${value}`} data-status={value}>
      {value}
    </span>
  );
}
