/**
 * The management routes' one way to the database. Every call passes a circuit breaker
 * (opossum): once calls keep failing because the database cannot be reached, the breaker
 * opens and requests are answered 503 at once instead of each waiting on a dead
 * connection; after `resetTimeoutMs` one request is let through as a probe (half-open)
 * and its success closes the breaker again, with no operator involved.
 *
 * Only unreachability counts against the database. A database that answers, even with an
 * error (a refused write, an unknown id, a constraint), is up.
 *
 * Also here: the spec 002 guard before every write, a latency record of recent calls for
 * /api/metrics, and the HTTP form of every failure a management request can end in.
 */
import { EventEmitter } from 'node:events';
import type { FastifyInstance, FastifyReply } from 'fastify';
import CircuitBreaker from 'opossum';
import type { BreakerState, ErrorBody } from '../domain/api.js';
import { RuleViolation, type RuleCode } from '../store/queries/errors.js';
import { lockChangeFeed } from '../store/queries/locks.js';
import { checkWrite, WriteRefused } from '../store/guard.js';
import { MOCK_SCHEMA } from '../store/schema.js';
import type { Store, Transaction } from '../store/store.js';
import type { ServerState } from './state.js';

export class StoreDisabled extends Error {
  override readonly name = 'StoreDisabled';
}

export class DatabaseUnavailable extends Error {
  override readonly name = 'DatabaseUnavailable';
  constructor(
    message: string,
    /** Seconds until the breaker lets a probe through. */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

class QueryTimeout extends Error {
  override readonly name = 'QueryTimeout';
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', 'ENOTFOUND', 'EHOSTUNREACH', 'ENETUNREACH', 'EAI_AGAIN']);

/**
 * Whether an error means the database could not be used at all. With an SQLSTATE the
 * server answered: only connection exceptions (08), insufficient resources (53), operator
 * intervention such as a terminated backend (57), system errors (58, XX), "not accepting
 * connections" (55000) and a missing database (3D000) count. Without one it is a socket or
 * pool failure, or our own timeout.
 */
export function isUnavailable(err: unknown): boolean {
  if (err instanceof RuleViolation || err instanceof WriteRefused) return false;
  if (err instanceof QueryTimeout) return true;
  const code = (err as { code?: unknown } | null)?.code;
  if (typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code)) return /^(08|53|57|58|XX)/.test(code) || code === '55000' || code === '3D000';
  if (typeof code === 'string' && NETWORK_CODES.has(code)) return true;
  return /connect|terminated|timeout/i.test((err as Error | null)?.message ?? '');
}

export interface BreakerOptions {
  /** How long the breaker stays open before a probe. */
  resetTimeoutMs: number;
  /** Failed share of calls (in the rolling window) that opens it. */
  errorThresholdPercentage: number;
  /** Calls in the window before it may open at all. */
  volumeThreshold: number;
  rollingWindowMs: number;
  /** Reads give up after this; writes rely on statement_timeout instead (see write()). */
  readTimeoutMs: number;
  /** statement_timeout for each statement of a write transaction (lock waits included). */
  writeStatementTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  resetTimeoutMs: 5_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 5,
  rollingWindowMs: 10_000,
  readTimeoutMs: 3_000,
  writeStatementTimeoutMs: 10_000,
};

type Call = () => Promise<unknown>;
const WINDOW_BUCKETS = 10;

/** Latencies of the last `size` database calls, for percentiles. */
class LatencyWindow {
  private readonly samples: number[] = [];
  private next = 0;
  constructor(private readonly size = 1000) {}

  add(ms: number): void {
    if (this.samples.length < this.size) this.samples.push(ms);
    else this.samples[this.next] = ms;
    this.next = (this.next + 1) % this.size;
  }

  summary(): { p50: number | null; p99: number | null; samples: number } {
    if (!this.samples.length) return { p50: null, p99: null, samples: 0 };
    const sorted = [...this.samples].sort((a, b) => a - b);
    const at = (q: number) => Math.round(sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] * 100) / 100;
    return { p50: at(0.5), p99: at(0.99), samples: sorted.length };
  }
}

export class DbGate {
  readonly latency = new LatencyWindow();
  private readonly breaker: CircuitBreaker<[Call], unknown>;
  private openedCount = 0;
  private openedAt = 0;
  /** Drives the rolling window's buckets (instead of opossum's own timer) so closing can clear it. */
  private readonly rotation = new EventEmitter();
  private readonly rotationTimer: NodeJS.Timeout;

  constructor(
    private readonly state: ServerState,
    readonly options: BreakerOptions = DEFAULT_BREAKER,
  ) {
    this.breaker = new CircuitBreaker<[Call], unknown>((call) => call(), {
      timeout: false, // per call instead: a read may be abandoned, a write must not be (see write())
      resetTimeout: options.resetTimeoutMs,
      errorThresholdPercentage: options.errorThresholdPercentage,
      volumeThreshold: options.volumeThreshold,
      rollingCountTimeout: options.rollingWindowMs,
      rollingCountBuckets: WINDOW_BUCKETS,
      rotateBucketController: this.rotation,
      enableSnapshots: false,
      // Filtered errors count as successes: the database answered.
      errorFilter: (err: Error) => !isUnavailable(err),
    });
    this.breaker.on('open', () => {
      this.openedCount++;
      this.openedAt = Date.now();
    });
    // opossum counts every call refused while open as a "fire", and keeps those in the rolling
    // window after closing: a new outage right after recovery would then be diluted by them
    // and need many more failures to open the breaker again. Closing starts a fresh window.
    this.breaker.on('close', () => {
      for (let i = 0; i < WINDOW_BUCKETS; i++) this.rotation.emit('rotate');
    });
    this.rotationTimer = setInterval(() => this.rotation.emit('rotate'), options.rollingWindowMs / WINDOW_BUCKETS).unref();
  }

  get breakerState(): BreakerState {
    return this.breaker.opened ? 'open' : this.breaker.halfOpen ? 'half_open' : 'closed';
  }

  breakerReport() {
    const stats = this.breaker.stats;
    return { state: this.breakerState, failures: stats.failures, rejected: stats.rejects, opened: this.openedCount };
  }

  /** A read: abandoned after readTimeoutMs (its result is simply dropped), which counts as a failure. */
  read<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    return this.run((store) => withTimeout(fn(store), this.options.readTimeoutMs));
  }

  /**
   * A write: the spec 002 guard, then `fn` in one transaction. No client-side timeout: a
   * transaction abandoned by the client could still commit after we had answered 503.
   * statement_timeout makes the server give up instead, and then nothing commits.
   */
  write<T>(records: number, fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.run(async (store) => {
      await checkWrite(store, this.state.guardSettings(), { schema: MOCK_SCHEMA, records });
      return store.transaction(async (tx) => {
        await tx.query(`SET LOCAL statement_timeout = ${Math.trunc(this.options.writeStatementTimeoutMs)}`);
        await lockChangeFeed(tx); // before any row lock (see locks.ts)
        return fn(tx);
      });
    });
  }

  private async run<T>(fn: (store: Store) => Promise<T>): Promise<T> {
    const store = this.state.store;
    if (!store) throw new StoreDisabled('the database is disabled (STORE_ENABLED=false): orders and products need it; start the server with STORE_ENABLED=true');
    const started = performance.now();
    try {
      const result = (await this.breaker.fire(() => fn(store))) as T;
      this.latency.add(performance.now() - started);
      return result;
    } catch (err) {
      if ((err as { code?: string }).code === 'EOPENBREAKER') {
        const wait = Math.max(1, Math.ceil((this.openedAt + this.options.resetTimeoutMs - Date.now()) / 1000));
        throw new DatabaseUnavailable(`the database is unavailable: requests are refused for now after repeated failures; the next attempt is in about ${wait} s`, wait);
      }
      if (isUnavailable(err)) throw new DatabaseUnavailable(`the database is unavailable: ${(err as Error).message}`, Math.ceil(this.options.resetTimeoutMs / 1000));
      this.latency.add(performance.now() - started); // it answered, with a refusal
      throw err;
    }
  }

  close(): void {
    clearInterval(this.rotationTimer);
    this.breaker.shutdown();
  }
}

function withTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new QueryTimeout(`no answer from the database within ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

const gates = new WeakMap<ServerState, DbGate>();

/** The server's one gate (every route module shares its breaker); closed with the app. */
export function dbGate(app: FastifyInstance, state: ServerState): DbGate {
  let gate = gates.get(state);
  if (!gate) {
    const created = (gate = new DbGate(state));
    gates.set(state, created);
    app.addHook('onClose', async () => created.close());
  }
  return gate;
}

// ——— failures as HTTP answers ———

const RULE_STATUS: Record<RuleCode, number> = {
  bad_request: 400,
  not_found: 404,
  unknown_reference: 422,
  insufficient_stock: 409,
  illegal_transition: 409,
  stock_out_of_range: 409,
  mixed_currency: 422,
  nothing_to_simulate: 409,
};

/** The status and body for a failure a client should see as such; null for a bug (500 from the app's handler). */
export function failureAnswer(err: unknown): { status: number; body: ErrorBody; retryAfter?: number } | null {
  if (err instanceof RuleViolation) return { status: RULE_STATUS[err.code], body: { error: err.code, message: err.message, ...(err.details ? { details: err.details } : {}) } };
  if (err instanceof WriteRefused) return { status: 403, body: { error: `refused_${err.rule}`, message: err.message } }; // as /api/mock-data/* answers it
  if (err instanceof StoreDisabled) return { status: 503, body: { error: 'store_disabled', message: err.message } };
  if (err instanceof DatabaseUnavailable) return { status: 503, body: { error: 'database_unavailable', message: err.message }, retryAfter: err.retryAfterSeconds };
  return null;
}

/**
 * Runs a handler's work; a known failure is sent as its answer (and the handler resolves
 * to nothing, the reply being sent), anything else goes on to the app's error handler.
 */
export async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<T | undefined> {
  try {
    return await work();
  } catch (err) {
    const failure = failureAnswer(err);
    if (!failure) throw err;
    if (failure.retryAfter) void reply.header('retry-after', String(failure.retryAfter));
    void reply.code(failure.status).send(failure.body);
    return undefined;
  }
}
