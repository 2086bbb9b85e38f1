/** The embedded backend: PostgreSQL in WebAssembly, data kept in a directory so a restart loses nothing. */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { PGlite, type Transaction as PGliteTx } from '@electric-sql/pglite';
import { ident, TYPE_PARSERS, type Listener, type ListenHandlers, type QueryResult, type Store, type Transaction } from './store.js';

type Runner = Pick<PGlite, 'query'> | PGliteTx;

async function run<R>(db: Runner, sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
  const res = await db.query<R>(sql, params as unknown[]);
  return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
}

/**
 * PGlite has no lock of its own, and two processes on one data directory corrupt it: a pid
 * file beside it says who has it (a stale one, from a process that is gone, is taken over).
 */
async function lockDataDir(dir: string): Promise<() => Promise<void>> {
  const file = `${dir}.lock`;
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      await writeFile(file, String(process.pid), { flag: 'wx' });
      return () => rm(file, { force: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
      const owner = Number(await readFile(file, 'utf8').catch(() => ''));
      if (owner && owner !== process.pid && isAlive(owner)) {
        throw new Error(`it is in use by process ${owner} (an orderstream serve?); stop it, or talk to that server with --server URL`);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`cannot lock ${dir}`);
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

export class PgliteStore implements Store {
  readonly backend = 'pglite' as const;

  private constructor(
    private readonly db: PGlite,
    readonly location: string,
    private readonly unlock: () => Promise<void>,
  ) {}

  /** dataDir null: in memory (tests that need a throwaway database). */
  static async open(dataDir: string | null): Promise<PgliteStore> {
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const unlock = dataDir ? await lockDataDir(dataDir) : async () => undefined;
    try {
      const db = new PGlite({ dataDir: dataDir ?? undefined, parsers: TYPE_PARSERS });
      await db.waitReady;
      await db.exec("SET TIME ZONE 'UTC'");
      return new PgliteStore(db, dataDir ?? 'memory', unlock);
    } catch (err) {
      await unlock();
      throw err;
    }
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
    await this.unlock();
  }
}
