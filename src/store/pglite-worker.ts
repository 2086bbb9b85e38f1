/**
 * The embedded database's own thread. PGlite is PostgreSQL compiled to WebAssembly: every
 * statement runs on the thread that holds it. On the server's thread a write of the live
 * simulation, the demo dataset's load or an analytics query stopped the event loop for tens
 * of milliseconds at a time (events waited to go out, health checks to be answered); here
 * they run beside it. pglite.ts is the other end: requests come as messages, one reply each.
 */
import { randomUUID } from 'node:crypto';
import { existsSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parentPort, workerData } from 'node:worker_threads';
import { PGlite, type Transaction as PGliteTx } from '@electric-sql/pglite';
import { installGrowInPlace } from './memfs-growth.js';
import { TYPE_PARSERS } from './store.js';
import type { Reply, Request } from './pglite.js';

const port = parentPort!;
const { dataDir, template, sharedBuffers } = workerData as { dataDir: string | null; template: string | null; sharedBuffers: string | null };

/** A transaction the other thread has open: its handle, how to end it (commit, or roll back), and how it finished. */
interface Open {
  tx: PGliteTx;
  end: (commit: boolean) => void;
  finished: Promise<void>;
}

/**
 * Transactions by the id the other thread gave them, each once open (PGlite opens one when the
 * one before it has finished). The other thread sends a transaction's first statements right
 * behind its 'begin', without waiting for an answer: they wait here, in the order they came.
 */
const open = new Map<number, Promise<Open>>();
const listeners = new Map<number, () => Promise<void>>();

const reply = (message: Reply, transfer?: ArrayBuffer[]) => port.postMessage(message, transfer ?? []);

/** What an error carries across the thread boundary: its message and PostgreSQL's fields (code, detail…), which callers test. */
function errorOf(err: unknown): Record<string, unknown> {
  const e = err as Record<string, unknown> & Error;
  const fields: Record<string, unknown> = { message: e?.message ?? String(err) };
  for (const key of Object.keys(e ?? {})) if (['string', 'number', 'boolean'].includes(typeof e[key])) fields[key] = e[key];
  return fields;
}

/** A template's files, or null when there is none to read (never saved, or removed meanwhile): the database is then made the long way. */
function readTemplate(path: string): Buffer<ArrayBuffer> | null {
  try {
    return readFileSync(path) as Buffer<ArrayBuffer>;
  } catch {
    return null;
  }
}

/**
 * PostgreSQL's buffer cache for a database held in memory. Its files already are memory: the
 * default 128 MB cache would be a second copy of them, and PostgreSQL clears the whole of it as it
 * starts. Measured on 2 cores (2026-11-30): a throwaway database opened in 0.49–0.52 s of CPU
 * instead of 0.62–0.66, and took 230–270 MB of memory instead of 350; the store benchmark loaded
 * a million rows in 9.3 s instead of 17–18, while 300,000 rows made by INSERT … SELECT and
 * queried took 3–10% longer. A database on disk keeps PostgreSQL's default. Both unless
 * ORDERSTREAM_PGLITE_SHARED_BUFFERS says otherwise (pglite.ts).
 */
const IN_MEMORY_SHARED_BUFFERS = '16MB';

/**
 * PostgreSQL's own template databases (template0, template1) are what CREATE DATABASE copies, which
 * orderstream never runs: a template of ours leaves them out, and every new database it starts is
 * 509 files instead of 1,111 (26 MB instead of 41). Measured on 2 cores (2026-11-30): a new database
 * opened in 0.25 s of CPU instead of 0.36 in memory, and in 0.8 s instead of 1.5 on disk.
 */
async function dropTemplateDatabases(db: PGlite): Promise<void> {
  await db.exec("UPDATE pg_database SET datistemplate = false WHERE datname IN ('template0', 'template1')");
  await db.exec('DROP DATABASE IF EXISTS template1');
  await db.exec('DROP DATABASE IF EXISTS template0');
}

async function main(): Promise<void> {
  const empty = dataDir === null || !existsSync(join(dataDir, 'PG_VERSION'));
  const files = empty && template !== null ? readTemplate(template) : null;
  const buffers = sharedBuffers ?? (dataDir === null ? IN_MEMORY_SHARED_BUFFERS : null);
  const db = new PGlite({
    dataDir: dataDir ?? undefined,
    parsers: TYPE_PARSERS,
    ...(buffers ? { startParams: [...PGlite.defaultStartParams, '-c', `shared_buffers=${buffers}`] } : {}),
    ...(files ? { loadDataDir: new Blob([files], { type: template!.endsWith('.gz') ? 'application/gzip' : 'application/x-tar' }) } : {}),
  });
  await db.waitReady;
  // An in-memory database's files grow without being copied whole (see memfs-growth.ts).
  const growsInPlace = dataDir === null && installGrowInPlace(db);
  await db.exec("SET TIME ZONE 'UTC'");

  const handle = async (req: Request): Promise<unknown> => {
    switch (req.op) {
      case 'query': {
        const runner = req.tx ? await txOf(req.tx) : db;
        const res = await runner.query(req.sql, req.params as unknown[]);
        return { rows: res.rows, rowCount: res.affectedRows ?? res.rows.length };
      }
      case 'exec':
        await (await txOf(req.tx)).exec(req.sql);
        return null;
      case 'copy':
        await (await txOf(req.tx)).query(`COPY ${req.table} (${req.columns}) FROM '/dev/blob' WITH (FORMAT csv)`, [], { blob: new Blob([req.csv as Uint8Array<ArrayBuffer>]) });
        return null;
      case 'begin': {
        const opened = new Promise<Open>((resolve, failed) => {
          const finished: Promise<void> = db.transaction(
            (tx) => new Promise<void>((committed, rolledBack) => resolve({ tx, end: (commit) => (commit ? committed() : rolledBack(new Error('rolled back'))), finished })),
          );
          // A BEGIN that failed; once open, 'end' reports how it finished.
          finished.catch(failed);
        });
        opened.catch(() => undefined); // answered through the statements that wait for it
        open.set(req.tx, opened);
        await opened;
        return null;
      }
      case 'end': {
        const opened = open.get(req.tx);
        if (!opened) throw new Error(`no open transaction ${req.tx}`);
        open.delete(req.tx);
        let t: Open;
        try {
          t = await opened;
        } catch (err) {
          if (req.commit) throw err;
          return null; // never opened: nothing to roll back
        }
        t.end(req.commit);
        try {
          await t.finished;
        } catch (err) {
          // A rollback asked for is not an error; a commit that failed is.
          if (req.commit) throw err;
        }
        return null;
      }
      case 'listen': {
        const unlisten = await db.listen(req.channel, (payload) => reply({ notify: req.listener, payload }));
        listeners.set(req.listener, unlisten);
        return null;
      }
      case 'unlisten':
        await listeners.get(req.listener)?.();
        listeners.delete(req.listener);
        return null;
      case 'saveTemplate': {
        await dropTemplateDatabases(db);
        const files = await db.dumpDataDir(req.compress ? 'gzip' : 'none');
        // Written aside and renamed: another process opening a database meanwhile reads the old file or the new one, never half of one.
        const partial = `${req.path}.${randomUUID()}.partial`;
        try {
          writeFileSync(partial, new Uint8Array(await files.arrayBuffer()));
          renameSync(partial, req.path);
        } finally {
          rmSync(partial, { force: true });
        }
        return null;
      }
      case 'close':
        if (!db.closed) await db.close();
        return null;
    }
  };

  const txOf = async (id: number): Promise<PGliteTx> => {
    const opened = open.get(id);
    if (!opened) throw new Error(`no open transaction ${id}`);
    return (await opened).tx;
  };

  port.on('message', (req: Request) => {
    handle(req).then(
      (result) => reply({ id: req.id, result }),
      (err) => reply({ id: req.id, error: errorOf(err) }),
    );
  });
  reply({ ready: true, created: empty && files === null, growsInPlace });
}

main().catch((err) => reply({ failed: errorOf(err) }));
