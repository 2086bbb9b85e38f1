import { NavLink, Outlet } from 'react-router';
import { useNow, useStreamStatus } from '../lib/hooks.js';
import { ago } from '../lib/format.js';
import { stream } from '../lib/stream.js';

const VIEWS = [
  ['/monitoring', 'Monitoring'],
  ['/shop', 'Shop'],
  ['/admin', 'Admin'],
  ['/dashboard', 'Dashboard'],
  ['/generator', 'Generator'],
  ['/events', 'Events'],
] as const;

export function Layout() {
  return (
    <>
      <a className="skip" href="#main">
        Skip to content
      </a>
      <header className="top">
        <span className="brand" aria-hidden="true">
          orderstream
        </span>
        <nav aria-label="Views">
          <ul>
            {VIEWS.map(([to, name]) => (
              <li key={to}>
                <NavLink to={to}>{name}</NavLink>
              </li>
            ))}
          </ul>
        </nav>
        <Connection />
      </header>
      <GapBanner />
      <main id="main" tabIndex={-1}>
        <Outlet />
      </main>
    </>
  );
}

/** Connected / reconnecting (with the attempt) / offline, and when the last event came. */
function Connection() {
  const status = useStreamStatus();
  const now = useNow(1000);
  const s = status.state;
  const text =
    s.kind === 'connected'
      ? 'Live'
      : s.kind === 'connecting'
        ? s.attempt > 1
          ? `Reconnecting (attempt ${s.attempt})`
          : 'Connecting'
        : s.kind === 'reconnecting'
          ? `Reconnecting (attempt ${s.attempt + 1} in ${Math.ceil(s.retryInMs / 1000)} s)`
          : 'Offline';
  return (
    <div className="conn" data-state={s.kind} data-testid="connection" role="status" aria-live="polite">
      <span className="dot" aria-hidden="true" />
      <span className="conn-text">{text}</span>
      <span className="muted conn-last" data-testid="last-event">
        last event {ago(status.lastEventAt, now)}
        {status.lastSeq >= 0 ? ` · seq ${status.lastSeq}` : ''}
      </span>
      {s.kind === 'reconnecting' || s.kind === 'offline' ? (
        <button type="button" className="small" onClick={() => stream.retryNow()}>
          Retry now
        </button>
      ) : null}
    </div>
  );
}

function GapBanner() {
  const { gap } = useStreamStatus();
  if (!gap) return null;
  return (
    <div className="banner warn" role="alert" data-testid="gap-banner">
      {gap.missed === null
        ? 'The server restarted or was replaced while this page was away: events from before it may be missing.'
        : `${gap.missed.toLocaleString('en-US')} events were missed while this page was away (more than the server keeps).`}{' '}
      Reload the view for a complete picture.{' '}
      <button type="button" className="small" onClick={() => stream.dismissGap()}>
        Dismiss
      </button>
    </div>
  );
}
