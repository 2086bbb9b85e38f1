/** The server backend: a pg pool, COPY through pg-copy-streams, LISTEN on a client of its own. */
import { pipeline } from 'node:stream/promises';
import { Readable } from 'node:stream';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { redactUrl } from './url.js';
import { ident, TYPE_PARSERS, type Listener, type ListenHandlers, type QueryResult, type Store, type Transaction } from './store.js';

const types = {
  getTypeParser: ((oid: number, format?: string) => TYPE_PARSERS[oid] ?? pg.types.getTypeParser(oid, format as 'text')) as typeof pg.types.getTypeParser,
};


async function run<R>(client: pg.Pool | pg.PoolClient | pg.Client, sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
  const res = await client.query(sql, params as unknown[]);
  return { rows: res.rows as R[], rowCount: res.rowCount ?? res.rows.length };
}

export class PostgresStore implements Store {
  readonly backend = 'postgres' as const;
  readonly location: string;
  private readonly pool: pg.Pool;

  private constructor(private readonly url: string, connectTimeoutMs: number) {
    this.location = redactUrl(url);
    this.pool = new pg.Pool({ connectionString: url, types, max: 10, connectionTimeoutMillis: connectTimeoutMs, options: '-c TimeZone=UTC' });
    // An idle client that dies (server restart) must not crash the process; the next query reconnects.
    this.pool.on('error', () => undefined);
  }

  static async open(url: string, connectTimeoutMs = 5000): Promise<PostgresStore> {
    const store = new PostgresStore(url, connectTimeoutMs);
    try {
      await store.query('SELECT 1');
    } catch (err) {
      await store.close();
      throw err;
    }
    return store;
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.pool, sql, params);
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    const client = await this.pool.connect();
    let broken = false;
    // The pool listens for errors only on idle clients: a connection terminated while this one
    // is checked out (between two statements) would otherwise be an unhandled 'error' event.
    const lost = () => (broken = true);
    client.on('error', lost);
    // Statements sent without waiting for the one before (the live writer's batch) run in the
    // order sent: queued here, not on the client, which node-postgres deprecates.
    let queue: Promise<unknown> = Promise.resolve();
    // Set once the transaction ends: a statement still queued then fails instead of running outside it.
    let over = false;
    try {
      await client.query('BEGIN');
      const inOrder = <T>(step: () => Promise<T>): Promise<T> => {
        const next = queue.then(() => {
          if (over) throw new Error('the transaction has ended');
          return step();
        });
        queue = next.catch(() => undefined);
        return next;
      };
      const result = await fn({
        query: <R>(sql: string, params?: readonly unknown[]) => inOrder(() => run<R>(client, sql, params)),
        exec: (sql) => inOrder(async () => void (await client.query(sql))),
        copyCsv: (table, columns, csv) =>
          inOrder(async () => {
            const sink = client.query(copyFrom(`COPY ${table} (${columns.map(ident).join(', ')}) FROM STDIN WITH (FORMAT csv)`));
            await pipeline(Readable.from([csv]), sink);
          }),
      });
      await queue; // statements sent and not awaited run before the commit
      over = true;
      await client.query('COMMIT');
      return result;
    } catch (err) {
      over = true; // nothing still queued runs after the rollback, in autocommit
      await queue;
      await client.query('ROLLBACK').catch(() => (broken = true));
      throw err;
    } finally {
      client.off('error', lost);
      client.release(broken);
    }
  }

  async listen(channel: string, handlers: ListenHandlers): Promise<Listener> {
    const client = new pg.Client({ connectionString: this.url, types, options: '-c TimeZone=UTC' });
    let closed = false;
    const drop = (err: Error) => {
      if (closed) return;
      closed = true;
      client.removeAllListeners();
      client.on('error', () => undefined);
      void client.end().catch(() => undefined);
      handlers.onDrop(err);
    };
    client.on('error', drop);
    client.on('end', () => drop(new Error('listener connection ended')));
    client.on('notification', (n) => {
      if (n.channel === channel) handlers.onNotify(n.payload ?? '');
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${ident(channel)}`);
    } catch (err) {
      closed = true;
      client.removeAllListeners();
      client.on('error', () => undefined);
      await client.end().catch(() => undefined);
      throw err;
    }
    return {
      close: async () => {
        if (closed) return;
        closed = true;
        client.removeAllListeners();
        client.on('error', () => undefined);
        await client.end().catch(() => undefined);
      },
    };
  }

  async close(): Promise<void> {
    await this.pool.end().catch(() => undefined);
  }
}
