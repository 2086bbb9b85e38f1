import { useEffect, useState } from 'react';
import { NavLink, Outlet } from 'react-router';
import type { ApiHealth } from '../../../src/domain/api.js';
import { demoProgressText } from '../../../src/domain/demo-progress.js';
import { api } from '../lib/api.js';
import { useNow, useStreamStatus } from '../lib/hooks.js';
import { lastEvent, time } from '../lib/format.js';
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
      <DemoBanner />
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
      <span className="muted conn-last" data-testid="last-event" title={status.lastEventAt != null ? `received at ${time(status.lastEventAt)}` : undefined}>
        {lastEvent(status, now)}
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

/**
 * A first start loads its demo dataset while it already serves: live orders stream at once,
 * the tables fill when the load commits. Says so, with progress, and offers to reload the view then.
 */
function DemoBanner() {
  const [demo, setDemo] = useState<ApiHealth['demo_data'] | null>(null);
  const [seenLoading, setSeenLoading] = useState(false);
  useEffect(() => {
    let stopped = false;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const poll = () =>
      api<ApiHealth>('/api/health').then(
        (h) => {
          if (stopped) return;
          setDemo(h.demo_data);
          if (h.demo_data.state === 'loading') {
            setSeenLoading(true);
            timer = setTimeout(poll, 1000);
          }
        },
        // Asked again, or a banner could stay at "loading" for good; the connection indicator tells of an unreachable server.
        () => void (stopped || (timer = setTimeout(poll, 2000))),
      );
    void poll();
    return () => {
      stopped = true;
      clearTimeout(timer);
    };
  }, []);
  if (!demo || demo.state === 'none' || (demo.state === 'loaded' && !seenLoading)) return null;
  if (demo.state === 'loading')
    return (
      <div className="banner ok" role="status" data-testid="demo-banner">
        Loading the demo dataset
        {/* The figures change every second: shown, not announced (the status line is, once). */}
        <span aria-hidden="true">
          : {demoProgressText({ phase: demo.phase ?? 'copying', rows: demo.rows, progress: demo.progress ?? 0 })}
        </span>
        . Live orders stream meanwhile; the tables fill in when it is done.
      </div>
    );
  if (demo.state === 'failed')
    return (
      <div className="banner warn" role="alert" data-testid="demo-banner">
        The demo dataset could not be loaded ({demo.reason}). The simulation streams on without the database.
      </div>
    );
  return (
    <div className="banner ok" role="status" data-testid="demo-banner">
      The demo dataset is loaded ({demo.rows.toLocaleString('en-US')} rows).{' '}
      <button type="button" className="small" onClick={() => window.location.reload()}>
        Show it
      </button>{' '}
      <button type="button" className="small" onClick={() => setSeenLoading(false)}>
        Dismiss
      </button>
    </div>
  );
}
