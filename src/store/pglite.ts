/** The embedded backend: PostgreSQL in WebAssembly, data kept in a directory so a restart loses nothing. */
import { mkdir } from 'node:fs/promises';
import { PGlite, type Transaction as PGliteTx } from '@electric-sql/pglite';
import { ident, TYPE_PARSERS, type Listener, type ListenHandlers, type QueryResult, type Store, type Transaction } from './store.js';

type Runner = Pick<PGlite, 'query'> | PGliteTx;

async function run<R>(db: Runner, sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
  const res = await db.query<R>(sql, params as unknown[]);
  return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
}

export class PgliteStore implements Store {
  readonly backend = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    readonly location: string,
  ) {}

  /** dataDir null: in memory (tests that need a throwaway database). */
  static async open(dataDir: string | null): Promise<PgliteStore> {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const db = new PGlite({ dataDir: dataDir ?? undefined, parsers: TYPE_PARSERS });
    await db.waitReady;
    await db.exec("SET TIME ZONE 'UTC'");
    return new PgliteStore(db, dataDir ?? 'memory');
  }

  query<R = Record<string, unknown>>(sql: string, params?: readonly unknown[]): Promise<QueryResult<R>> {
    return run<R>(this.db, sql, params);
  }

  transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    return this.db.transaction((tx) =>
      fn({
        query: <R>(sql: string, params?: readonly unknown[]) => run<R>(tx, sql, params),
        exec: async (sql) => void (await tx.exec(sql)),
        copyCsv: async (table, columns, csv) => {
          await tx.query(`COPY ${table} (${columns.map(ident).join(', ')}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([csv as Uint8Array<ArrayBuffer>]) });
        },
      }),
    );
  }

  async listen(channel: string, handlers: ListenHandlers): Promise<Listener> {
    // In-process: the embedded database cannot drop its listener, so onDrop is never called.
    const unlisten = await this.db.listen(channel, handlers.onNotify);
    return { close: () => unlisten() };
  }

  async close(): Promise<void> {
    if (!this.db.closed) await this.db.close();
  }
}
