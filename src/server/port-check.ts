/**
 * Whether the server can listen where it is told to, asked before anything else starts: a
 * first `serve` opens (and on a new data directory, creates) its database and starts making
 * the demo dataset before it listens, and a busy port found only then left an empty database
 * behind, which later store commands in that directory opened instead of saying none is there.
 */
import { createServer } from 'node:net';
import { UsageError } from '../domain/errors.js';

/** The user's error for a failed listen on `port`, or null for another failure. */
export function listenFailure(err: unknown, port: number): UsageError | null {
  const code = (err as NodeJS.ErrnoException).code;
  if (code === 'EADDRINUSE') return new UsageError(`port ${port} is already in use; pick another with --port or PORT`);
  if (code === 'EACCES') return new UsageError(`no permission to listen on port ${port}; use a port above 1023`);
  return null;
}

/** Listens on `host`:`port` and lets go at once; fails as the server's own listen would. Port 0 is always free. */
export function ensurePortFree(host: string, port: number): Promise<void> {
  if (port === 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.once('error', (err) => reject(listenFailure(err, port) ?? err));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve()));
  });
}
