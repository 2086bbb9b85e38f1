/**
 * The embedded backend: PostgreSQL in WebAssembly, data kept in a directory so a restart
 * loses nothing. The database runs on a thread of its own (pglite-worker.ts); this side sends
 * it requests and keeps the Store interface the rest of orderstream uses.
 */
import { existsSync } from 'node:fs';
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { setFlagsFromString } from 'node:v8';
import { Worker } from 'node:worker_threads';
import { UsageError } from '../domain/errors.js';
import { ident, type Listener, type ListenHandlers, type QueryResult, type Store, type Transaction } from './store.js';

/** What this side asks the database thread. */
export type Request = { id: number } & (
  | { op: 'query'; sql: string; params: readonly unknown[]; tx?: number }
  | { op: 'exec'; sql: string; tx: number }
  | { op: 'copy'; table: string; columns: string; csv: Uint8Array; tx: number }
  | { op: 'begin'; tx: number }
  | { op: 'end'; tx: number; commit: boolean }
  | { op: 'listen'; channel: string; listener: number }
  | { op: 'unlisten'; listener: number }
  | { op: 'saveTemplate'; path: string; compress: boolean }
  | { op: 'close' }
);

/** What it answers: one reply per request, notifications, and whether it started. */
export type Reply = { id: number; result: unknown } | { id: number; error: Record<string, unknown> } | { notify: number; payload: string } | { ready: true; created: boolean; growsInPlace: boolean } | { failed: Record<string, unknown> };

type Op = Request extends infer R ? (R extends { op: infer O } ? O : never) : never;
type Body<O extends Op> = Omit<Extract<Request, { op: O }>, 'id'>;

const compiled = new URL('./pglite-worker.js', import.meta.url);
// Run from the TypeScript sources (the tests), the thread runs the built file.
const WORKER_FILE = existsSync(compiled) ? fileURLToPath(compiled) : fileURLToPath(new URL('../../dist/src/store/pglite-worker.js', import.meta.url));

/** An Error with the fields PostgreSQL gave it (code, detail…), as callers test them. */
function rebuilt(fields: Record<string, unknown>): Error {
  return Object.assign(new Error(String(fields.message)), fields);
}

/** A data directory that holds files but no database: never started over (its files would be mixed with a new database's). */
export class NotADatabaseDirectory extends Error {
  override readonly name = 'NotADatabaseDirectory';
  constructor(readonly dir: string, files: number) {
    super(
      `${dir} holds ${files} file${files === 1 ? '' : 's'} but no database (no PG_VERSION: a first start that stopped half-way, or another directory); remove it to start afresh, or set ORDERSTREAM_DATA_DIR to another directory`,
    );
  }
}

/** The data directory is held by a live process: the one case where another directory, or that process's server, is the way on. */
export class DataDirInUse extends Error {
  override readonly name = 'DataDirInUse';
  constructor(readonly dir: string, readonly owner: number) {
    super(`it is in use by process ${owner} (an orderstream serve?)`);
  }
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
        throw new DataDirInUse(dir, owner);
      }
      await rm(file, { force: true });
    }
  }
  throw new Error(`cannot lock ${dir}`);
}

/**
 * How V8 compiles the embedded database's WebAssembly (PostgreSQL itself). It starts every
 * function with its baseline compiler (Liftoff) and, in the background, recompiles with its
 * optimizing one (TurboFan) each function that has run about 1.8 MB of code. PostgreSQL's own
 * start crosses that budget in many functions it then hardly runs again: on a first `serve`,
 * about 4 of the 14 CPU seconds to the demo dataset loaded (2 s of wall time on two cores).
 * A budget 100× larger leaves those alone and still optimizes what stays hot in a long-running
 * server (measured: first start 14 → 9.5–11.3 CPU s; query times the same within the noise).
 *
 * ORDERSTREAM_PGLITE_BASELINE_COMPILER=1 never recompiles: for test suites, which start
 * hundreds of short-lived databases (orderstream's own sets it in vitest.config.ts). V8 flags
 * hold for the whole process, from before its first database compiles.
 */
function tuneWasmCompiler(): void {
  if (process.env.ORDERSTREAM_PGLITE_BASELINE_COMPILER === '1') setFlagsFromString('--liftoff-only');
  else setFlagsFromString(`--wasm-tiering-budget=${WASM_TIERING_BUDGET}`);
}

const WASM_TIERING_BUDGET = 180_000_000;

/**
 * ORDERSTREAM_PGLITE_SHARED_BUFFERS: the size of the embedded database's buffer cache (PostgreSQL's
 * shared_buffers), or null for its default (pglite-worker.ts: 128 MB on disk, 16 MB in memory).
 * PostgreSQL clears the whole cache as it starts: a database on disk reopened in 0.12–0.14 s of CPU
 * with 16 MB instead of 0.23–0.24 with 128 (2 cores, 2026-11-30). For test suites, which open
 * hundreds of small short-lived databases (orderstream's own sets it), or a machine short of memory.
 */
function sharedBuffersSetting(): string | null {
  const value = process.env.ORDERSTREAM_PGLITE_SHARED_BUFFERS;
  if (value === undefined || value === '') return null;
  const size = /^(\d{1,7})(kB|MB|GB)$/.exec(value);
  const kB = size ? Number(size[1]) * { kB: 1, MB: 1024, GB: 1024 * 1024 }[size[2] as 'kB' | 'MB' | 'GB'] : Number.NaN;
  // PostgreSQL's least is 16 buffers (128kB); the WebAssembly heap it lives in is at most 2 GB.
  if (!(kB >= 128 && kB <= 1024 * 1024)) throw new UsageError(`ORDERSTREAM_PGLITE_SHARED_BUFFERS is '${value}': give a size from 128kB to 1GB, in kB, MB or GB, such as 16MB`);
  return value;
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
  /** Open in this process: its thread holds PostgreSQL's memory until closed, and Node lists no unreferenced thread. */
  private static readonly opened = new Set<PgliteStore>();
  /** How many embedded databases this process has open (the test suite checks that each file closes its own). */
  static openCount(): number {
    return PgliteStore.opened.size;
  }
  readonly backend = 'pglite' as const;
  private readonly pending = new Map<number, { resolve: (value: unknown) => void; reject: (err: Error) => void }>();
  private readonly notified = new Map<number, (payload: string) => void>();
  private nextId = 1;
  private closed = false;
  private dead: Error | null = null;
  private closing: Promise<void> | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly location: string,
    private readonly unlock: () => Promise<void>,
    /** Whether this open created the database empty (not from its files, nor from a template). */
    readonly created: boolean,
    /** Whether an in-memory database's files grow without being copied (memfs-growth.ts; false on disk, or with a PGlite that does not expose its file system). */
    readonly growsInPlace: boolean,
  ) {
    worker.on('message', (m: Reply) => {
      if ('notify' in m) return this.notified.get(m.notify)?.(m.payload);
      if (!('id' in m)) return;
      const waiting = this.pending.get(m.id);
      this.pending.delete(m.id);
      // The thread keeps the process alive only while an answer is awaited, as a socket would.
      if (!this.pending.size) worker.unref();
      if ('error' in m) waiting?.reject(rebuilt(m.error));
      else waiting?.resolve(m.result);
    });
    // With a connection failure's code (08006), so the circuit breaker and the live writer treat it as the database being away.
    worker.on('error', (err) => this.failAll(Object.assign(err, { code: '08006' })));
    worker.on('exit', (code) => this.failAll(Object.assign(new Error(`the embedded database's thread stopped (exit ${code})`), { code: '08006' })));
  }

  /** Every answer awaited fails, and so does every later request: a thread that stopped answers nothing. */
  private failAll(err: Error): void {
    this.dead ??= err;
    for (const { reject } of this.pending.values()) reject(err);
    this.pending.clear();
  }

  /**
   * dataDir null: in memory (tests that need a throwaway database). `template`: a data directory
   * saved by saveTemplate(), which a new database starts as (a copy of its files) instead of
   * being created empty; an existing database ignores it.
   */
  static async open(dataDir: string | null, template: string | null = null): Promise<PgliteStore> {
    const sharedBuffers = sharedBuffersSetting();
    if (dataDir) await mkdir(dataDir, { recursive: true });
    const unlock = dataDir ? await lockDataDir(dataDir) : async () => undefined;
    if (dataDir) {
      const files = await readdir(dataDir);
      if (files.length && !files.includes('PG_VERSION')) {
        await unlock();
        throw new NotADatabaseDirectory(dataDir, files.length);
      }
    }
    tuneWasmCompiler();
    const worker = new Worker(WORKER_FILE, { workerData: { dataDir, template, sharedBuffers } });
    try {
      let created = false;
      let growsInPlace = false;
      await new Promise<void>((resolve, reject) => {
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`the embedded database's thread stopped (exit ${code})`)));
        worker.on('message', function started(m: Reply) {
          if ('ready' in m) {
            created = m.created;
            growsInPlace = m.growsInPlace;
            resolve();
          }
          else if ('failed' in m) reject(rebuilt(m.failed));
          else return;
          worker.off('message', started);
        });
      });
      worker.removeAllListeners('error');
      worker.removeAllListeners('exit');
      worker.unref();
      const store = new PgliteStore(worker, dataDir ?? 'memory', unlock, created, growsInPlace);
      PgliteStore.opened.add(store);
      return store;
    } catch (err) {
      await worker.terminate();
      await unlock();
      throw err;
    }
  }

  private call<O extends Op>(body: Body<O>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.closed) return Promise.reject(new Error('the embedded database is closed'));
    if (this.dead) return Promise.reject(this.dead);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (!this.pending.size) this.worker.ref();
      this.pending.set(id, { resolve, reject });
      try {
        this.worker.postMessage({ ...body, id }, transfer);
      } catch (err) {
        // A value that cannot cross to the thread: nothing was sent, nothing is awaited.
        this.pending.delete(id);
        if (!this.pending.size) this.worker.unref();
        reject(err as Error);
      }
    });
  }

  query<R = Record<string, unknown>>(sql: string, params: readonly unknown[] = []): Promise<QueryResult<R>> {
    return this.call<'query'>({ op: 'query', sql, params }) as Promise<QueryResult<R>>;
  }

  async transaction<T>(fn: (tx: Transaction) => Promise<T>): Promise<T> {
    // Not awaited: the first statements follow it at once, and the thread runs them once the
    // transaction is open (a round trip less per transaction). Its failure reaches them too.
    const tx = this.nextId++;
    this.call<'begin'>({ op: 'begin', tx }).catch(() => undefined);
    let result: T;
    try {
      result = await fn({
        query: <R>(sql: string, params: readonly unknown[] = []) => this.call<'query'>({ op: 'query', sql, params, tx }) as Promise<QueryResult<R>>,
        exec: async (sql) => void (await this.call<'exec'>({ op: 'exec', sql, tx })),
        copyCsv: async (table, columns, csv) => void (await this.call<'copy'>({ op: 'copy', table, columns: columns.map(ident).join(', '), csv, tx })),
      });
    } catch (err) {
      await this.call<'end'>({ op: 'end', tx, commit: false }).catch(() => undefined);
      throw err;
    }
    await this.call<'end'>({ op: 'end', tx, commit: true });
    return result;
  }

  async listen(channel: string, handlers: ListenHandlers): Promise<Listener> {
    // The embedded database cannot drop its listener while its thread runs, so onDrop is never called; a dead thread fails every request instead.
    const listener = this.nextId++;
    this.notified.set(listener, handlers.onNotify);
    await this.call<'listen'>({ op: 'listen', channel, listener });
    return {
      close: async () => {
        this.notified.delete(listener);
        if (!this.closed && !this.dead) await this.call<'unlisten'>({ op: 'unlisten', listener });
      },
    };
  }

  /**
   * Saves the database's files (a tar, gzipped with `compress`: 26 MB → 3 MB, about 0.2 s more
   * to open) at `path`, replacing any there at once, for open() to start new databases from.
   * It first drops PostgreSQL's template databases, from this database too (pglite-worker.ts).
   */
  async saveTemplate(path: string, compress = false): Promise<void> {
    await this.call<'saveTemplate'>({ op: 'saveTemplate', path, compress });
  }

  close(): Promise<void> {
    this.closing ??= (async () => {
      try {
        if (!this.dead) await this.call<'close'>({ op: 'close' });
      } finally {
        this.closed = true;
        PgliteStore.opened.delete(this);
        await this.worker.terminate();
        await this.unlock();
      }
    })();
    return this.closing;
  }
}
