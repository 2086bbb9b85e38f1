/**
 * The embedded database runs one transaction at a time, and a generation job holds it for the
 * whole of its load (one transaction). A read meanwhile waited its 3 s, answered 503 "the
 * database is unavailable", and each such timeout counted towards opening the circuit breaker,
 * so a server busy with a job looked like one whose database was down. It is answered at once
 * instead, saying what it waits for. A PostgreSQL server answers reads during a job.
 */
import { DATA_ROUTES } from './demo-loading.js';
import type { ServerState } from './state.js';

/** Jobs' own routes, answered from memory while a job runs: its status, cancelling it, and refusing a second one (409). */
const IN_MEMORY = /^\/api\/mock-data\/(status|cancel|generate)(\?|\/|$)/;

/** Why a request must wait for a job on the embedded database (null: it need not), for a 503 that says so. */
export function jobWait(state: Pick<ServerState, 'databaseBusyWith' | 'jobs'>, url: string): string | null {
  // databaseBusyWith: only the embedded database is held by a job (a PostgreSQL server answers reads meanwhile).
  const job = state.jobs?.loadingId;
  if (!job || state.databaseBusyWith() === null || !DATA_ROUTES.test(url) || IN_MEMORY.test(url)) return null;
  return `the embedded database is busy loading generation job ${job} (it runs one transaction at a time): retry when the job is done (GET /api/mock-data/status?jobId=${job}); the live stream runs meanwhile`;
}
